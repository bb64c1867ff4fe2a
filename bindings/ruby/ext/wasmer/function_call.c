/* Function#call(*args) (and so `.()`), the hot path of the API: the generated
   Native.function_call bound as a method, without a Ruby frame in between. */
#include "runtime.h"
#include "native.h"

static VALUE wgrb_function_call_method(int argc, VALUE *argv, VALUE self) {
    return native_call_function_call(self, argc, argv);
}

void wgrb_function_call_init(void) {
    rb_define_method(wgrb_extern_class(WG_EXTERN_FUNC), "call", wgrb_function_call_method, -1);
}
