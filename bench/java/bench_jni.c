/* Java's FFI floor: the cheapest JNI call, JavaCompute.benchSum(int, int) (bench/java/JavaCompute.java). */
#include <jni.h>

JNIEXPORT jint JNICALL Java_JavaCompute_benchSum(JNIEnv *env, jclass cls, jint a, jint b) {
    (void)env;
    (void)cls;
    return a + b;
}
