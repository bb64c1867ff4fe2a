/* Java's FFI floor: the cheapest JNI call, JavaCompute.benchSum(int, int) (bench/java/JavaCompute.java); and
   native nbody in the JVM's process (JavaCompute.nativeNbody: bench/compute/nbody.c built with clang -O2 as
   WASMGEN_BENCH_NATIVE, loaded by JavaCompute.loadNativeNbody). */
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>

JNIEXPORT jint JNICALL Java_JavaCompute_benchSum(JNIEnv *env, jclass cls, jint a, jint b) {
    (void)env;
    (void)cls;
    return a + b;
}

static double (*nbody_native)(int);

JNIEXPORT jstring JNICALL Java_JavaCompute_loadNativeNbody(JNIEnv *env, jclass cls, jstring path) {
    (void)cls;
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    void *lib = dlopen(p, RTLD_NOW);
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (lib) nbody_native = (double (*)(int))dlsym(lib, "nbody");
    return nbody_native ? NULL : (*env)->NewStringUTF(env, dlerror());
}

JNIEXPORT jdouble JNICALL Java_JavaCompute_nativeNbody(JNIEnv *env, jclass cls, jint n) {
    (void)env;
    (void)cls;
    return nbody_native(n);
}
