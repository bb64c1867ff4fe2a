/* Ruby's FFI floor: the cheapest call into a C extension, BenchFloor.sum(a, b) (bench/ruby/compute.rb). */
#include <ruby.h>

static VALUE bench_sum(VALUE self, VALUE a, VALUE b) {
    (void)self;
    return INT2FIX(FIX2INT(a) + FIX2INT(b));
}

void Init_bench_floor(void) {
    VALUE m = rb_define_module("BenchFloor");
    rb_define_module_function(m, "sum", bench_sum, 2);
}
