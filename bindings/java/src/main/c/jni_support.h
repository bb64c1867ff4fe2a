/* Runtime support of the Java binding's JNI library (plain source, not generated):
   the JNI helpers the generated functions of wasmer_jni.c lower and lift values with,
   the host-function dispatcher registered with wg_set_host_callbacks, externref tokens,
   handle deletes (direct, and deferred for the Cleaner thread) and JNI_OnLoad. The
   native methods here belong to org.wasmer.NativeLibrary (plain source too); the
   generated wasmer_jni.c includes this file once, before its one JNI function per
   api.yaml method (org.wasmer.Native), and defines wgj_deleter over the spec's handle
   types. */
#ifndef WASMER_JNI_SUPPORT_H
#define WASMER_JNI_SUPPORT_H

#include <jni.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmgen.h"

static JavaVM *wgj_vm;
static jclass wgj_native;          /* org.wasmer.Native (generated: one native method per api.yaml method) */
static jclass wgj_library;         /* org.wasmer.NativeLibrary */
static jclass wgj_illegal_state;   /* java.lang.IllegalStateException */
static jmethodID wgj_error_mid;    /* static Throwable Native.error(int code, byte[] utf8) */
static jmethodID wgj_message_mid;  /* static byte[] NativeLibrary.hostMessage(Throwable) */
static jmethodID wgj_invoke_mid;   /* Throwable HostEntry.invoke() */
static atomic_long wgj_live_hosts;
/* The exception a host function threw, re-thrown where wasm returns to Java. */
static _Thread_local jobject wgj_pending;
/* Per thread: the JNIEnv, and the results of the last host function that returned
   funcrefs (a global ref), kept until the glue has converted them: released by the
   next host call on this thread (or drain()). One struct, so a host call reads it
   at no more cost than the JNIEnv alone. */
struct wgj_thread {
    JNIEnv *env;
    jobject kept;
};
static _Thread_local struct wgj_thread wgj_tl;

/* ------------------------------------------------------------------ helpers */

static JNIEnv *wgj_env(void) {
    if (wgj_tl.env) return wgj_tl.env;
    JNIEnv *env = NULL;
    jint rc = (*wgj_vm)->GetEnv(wgj_vm, (void **)&env, JNI_VERSION_1_8);
    if (rc == JNI_EDETACHED) rc = (*wgj_vm)->AttachCurrentThreadAsDaemon(wgj_vm, (void **)&env, NULL);
    if (rc != JNI_OK) return NULL;
    wgj_tl.env = env;
    return env;
}

/* Lets go of the results kept by NativeLibrary.keepResults on this thread. */
static void wgj_unkeep(JNIEnv *jenv) {
    if (wgj_tl.kept) {
        (*jenv)->DeleteGlobalRef(jenv, wgj_tl.kept);
        wgj_tl.kept = NULL;
    }
}

/* Throws the binding's exception for a glue error code, with a UTF-8 message. */
static void wgj_throw_msg(JNIEnv *jenv, int code, const char *msg) {
    if ((*jenv)->ExceptionCheck(jenv)) return;
    size_t len = strlen(msg);
    jbyteArray bytes = (*jenv)->NewByteArray(jenv, (jsize)len);
    if (!bytes) return;
    (*jenv)->SetByteArrayRegion(jenv, bytes, 0, (jsize)len, (const jbyte *)msg);
    jobject ex = (*jenv)->CallStaticObjectMethod(jenv, wgj_native, wgj_error_mid, (jint)code, bytes);
    (*jenv)->DeleteLocalRef(jenv, bytes);
    if (!(*jenv)->ExceptionCheck(jenv) && ex) (*jenv)->Throw(jenv, (jthrowable)ex);
}

/* Throws for a glue error: a host function's own exception for WG_ERR_HOST_ERROR. */
static void wgj_throw(JNIEnv *jenv, int code) {
    if ((*jenv)->ExceptionCheck(jenv)) return;
    if (code == WG_ERR_HOST_ERROR && wgj_pending) {
        jobject pending = wgj_pending;
        wgj_pending = NULL;
        (*jenv)->Throw(jenv, (jthrowable)pending);
        (*jenv)->DeleteGlobalRef(jenv, pending);
        return;
    }
    wgj_throw_msg(jenv, code, wg_error_message());
}

static void wgj_closed(JNIEnv *jenv) {
    if (!(*jenv)->ExceptionCheck(jenv))
        (*jenv)->ThrowNew(jenv, wgj_illegal_state, "the object is closed");
}

static wg_val wgj_val(jlong bits) {
    wg_val v;
    v.bits = (uint64_t)bits;
    return v;
}

typedef struct {
    jbyte *data;
    jsize len;
} wgj_in;

static int wgj_bytes_in(JNIEnv *jenv, jbyteArray arr, wgj_in *in, const char *what) {
    if (!arr) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must not be null", what);
        wgj_throw_msg(jenv, WG_ERR_ARGUMENT_ERROR, msg);
        return -1;
    }
    in->len = (*jenv)->GetArrayLength(jenv, arr);
    in->data = (*jenv)->GetByteArrayElements(jenv, arr, NULL);
    return in->data ? WG_OK : -1;
}

static void wgj_bytes_done(JNIEnv *jenv, jbyteArray arr, wgj_in *in) {
    if (in->data) (*jenv)->ReleaseByteArrayElements(jenv, arr, in->data, JNI_ABORT);
}

static jbyteArray wgj_bytes_out(JNIEnv *jenv, wg_bytes *out) {
    jbyteArray arr = (*jenv)->NewByteArray(jenv, (jsize)out->len);
    if (arr && out->len) (*jenv)->SetByteArrayRegion(jenv, arr, 0, (jsize)out->len, (const jbyte *)out->data);
    wg_bytes_free(out);
    return arr;
}

static jobject wgj_buffer_out(JNIEnv *jenv, wg_buffer *out) {
    static uint8_t empty;
    if (out->len > (size_t)INT32_MAX) {
        wgj_throw_msg(jenv, WG_ERR_ARGUMENT_ERROR, "the memory is larger than 2 GiB: a ByteBuffer cannot view it");
        return NULL;
    }
    return (*jenv)->NewDirectByteBuffer(jenv, out->data ? out->data : &empty, (jlong)out->len);
}

/* ------------------------------------------------------------------ host functions */

/* The env handle given to wg_function_new_host: the Java HostEntry (a global ref)
   and the address of its value buffer (a direct ByteBuffer the entry keeps), wg_val
   slots shared by the arguments and then the results. */
typedef struct {
    jobject entry;
    wg_val *values;
    uint32_t nparams, nresults;
} wgj_host;

static void wgj_record(JNIEnv *jenv, jthrowable exc) {
    jbyteArray msg = (*jenv)->CallStaticObjectMethod(jenv, wgj_library, wgj_message_mid, exc);
    if ((*jenv)->ExceptionCheck(jenv)) {
        (*jenv)->ExceptionClear(jenv);
        msg = NULL;
    }
    if (msg) {
        jsize len = (*jenv)->GetArrayLength(jenv, msg);
        jbyte *data = (*jenv)->GetByteArrayElements(jenv, msg, NULL);
        if (data) {
            wg_set_host_error((const char *)data, (size_t)len);
            (*jenv)->ReleaseByteArrayElements(jenv, msg, data, JNI_ABORT);
        }
        (*jenv)->DeleteLocalRef(jenv, msg);
    } else {
        static const char fallback[] = "host function failed";
        wg_set_host_error(fallback, sizeof fallback - 1);
    }
    if (wgj_pending) (*jenv)->DeleteGlobalRef(jenv, wgj_pending);
    wgj_pending = (*jenv)->NewGlobalRef(jenv, exc);
}

static int wgj_host_call(uint64_t handle, const wg_val *args, wg_val *results) {
    wgj_host *h = (wgj_host *)(uintptr_t)handle;
    struct wgj_thread *tl = &wgj_tl;
    __asm__("" : "+r"(tl)); /* one TLS lookup for both fields: gcc would redo it after a call */
    JNIEnv *jenv = tl->env ? tl->env : wgj_env();
    if (!jenv) {
        static const char msg[] = "cannot attach this thread to the JVM";
        wg_set_host_error(msg, sizeof msg - 1);
        return 1;
    }
    if (tl->kept) wgj_unkeep(jenv); /* the glue converted them long ago */
    if (h->nparams) memcpy(h->values, args, sizeof(wg_val) * h->nparams);
    jobject exc = (*jenv)->CallObjectMethod(jenv, h->entry, wgj_invoke_mid);
    if ((*jenv)->ExceptionCheck(jenv)) {
        exc = (*jenv)->ExceptionOccurred(jenv);
        (*jenv)->ExceptionClear(jenv);
    }
    if (exc) {
        wgj_record(jenv, (jthrowable)exc);
        (*jenv)->DeleteLocalRef(jenv, exc);
        return 1;
    }
    if (h->nresults) memcpy(results, h->values, sizeof(wg_val) * h->nresults);
    return 0;
}

static void wgj_host_release(uint64_t handle) {
    wgj_host *h = (wgj_host *)(uintptr_t)handle;
    JNIEnv *jenv = wgj_env();
    if (jenv) (*jenv)->DeleteGlobalRef(jenv, h->entry);
    free(h);
    atomic_fetch_sub(&wgj_live_hosts, 1);
}

/* `values` is a direct ByteBuffer of at least max(nparams, nresults) wg_val slots,
   kept reachable by `entry` (so as long as the global ref lives). */
JNIEXPORT jlong JNICALL Java_org_wasmer_NativeLibrary_hostNew(JNIEnv *jenv, jclass jcls, jobject entry, jobject values,
                                                      jint nparams, jint nresults) {
    (void)jcls;
    void *data = values ? (*jenv)->GetDirectBufferAddress(jenv, values) : NULL;
    jlong capacity = values ? (*jenv)->GetDirectBufferCapacity(jenv, values) : -1;
    if (!entry || !data || nparams < 0 || nresults < 0 || capacity < (jlong)sizeof(wg_val) * nparams ||
        capacity < (jlong)sizeof(wg_val) * nresults) {
        wgj_throw_msg(jenv, WG_ERR_ARGUMENT_ERROR, "bad host function entry");
        return 0;
    }
    wgj_host *h = calloc(1, sizeof *h);
    if (!h) {
        wgj_throw_msg(jenv, WG_ERR_RUNTIME_ERROR, "out of memory");
        return 0;
    }
    h->entry = (*jenv)->NewGlobalRef(jenv, entry);
    h->values = data;
    h->nparams = (uint32_t)nparams;
    h->nresults = (uint32_t)nresults;
    if (!h->entry) {
        free(h);
        return 0;
    }
    atomic_fetch_add(&wgj_live_hosts, 1);
    return (jlong)(intptr_t)h;
}

/* Frees an env handle that wg_function_new_host refused (it then never releases it). */
JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_hostFree(JNIEnv *jenv, jclass jcls, jlong handle) {
    (void)jenv;
    (void)jcls;
    if (handle) wgj_host_release((uint64_t)handle);
}

/* The address of a direct ByteBuffer's memory (0 if it is not direct). */
JNIEXPORT jlong JNICALL Java_org_wasmer_NativeLibrary_address(JNIEnv *jenv, jclass jcls, jobject buffer) {
    (void)jcls;
    return buffer ? (jlong)(intptr_t)(*jenv)->GetDirectBufferAddress(jenv, buffer) : 0;
}

/* Memory.read / Memory.write, the bulk path: under the store's lock (wg_memory_lock), one
   copy between the Java array and the memory (Get/SetByteArrayRegion, no intermediate
   buffer); out of bounds (checked there, without overflow) throws IndexOutOfBoundsException
   and copies nothing. The array range was checked by the Java caller. No other glue call
   is made while the lock is held. */
static void wgj_memory_copy(JNIEnv *jenv, jlong memory, jlong offset, jbyteArray arr, jint at, jint length, int to_memory) {
    if (!memory) {
        wgj_closed(jenv);
        return;
    }
    wg_buffer b;
    int rc = wg_memory_lock((wg_extern *)(intptr_t)memory, &b);
    if (rc != WG_OK) {
        wgj_throw(jenv, rc);
        return;
    }
    uint64_t off = (uint64_t)offset, len = (uint64_t)length;
    if (offset < 0 || length < 0 || off > b.len || len > b.len - off) {
        wg_memory_unlock((wg_extern *)(intptr_t)memory);
        char msg[160];
        snprintf(msg, sizeof msg, "out of bounds: offset %lld + length %d is past the end of memory (%zu bytes)",
                 (long long)offset, (int)length, b.len);
        jclass cls = (*jenv)->FindClass(jenv, "java/lang/IndexOutOfBoundsException");
        if (cls) (*jenv)->ThrowNew(jenv, cls, msg);
        return;
    }
    if (to_memory) (*jenv)->GetByteArrayRegion(jenv, arr, at, length, (jbyte *)(b.data + off));
    else (*jenv)->SetByteArrayRegion(jenv, arr, at, length, (const jbyte *)(b.data + off));
    wg_memory_unlock((wg_extern *)(intptr_t)memory);
}

JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_memoryRead(JNIEnv *jenv, jclass jcls, jlong memory, jlong offset,
                                                                  jbyteArray dst, jint at, jint length) {
    (void)jcls;
    wgj_memory_copy(jenv, memory, offset, dst, at, length, 0);
}

JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_memoryWrite(JNIEnv *jenv, jclass jcls, jlong memory, jlong offset,
                                                                   jbyteArray src, jint at, jint length) {
    (void)jcls;
    wgj_memory_copy(jenv, memory, offset, src, at, length, 1);
}

JNIEXPORT jlong JNICALL Java_org_wasmer_NativeLibrary_liveHostFunctions(JNIEnv *jenv, jclass jcls) {
    (void)jenv;
    (void)jcls;
    return (jlong)atomic_load(&wgj_live_hosts);
}

/* ------------------------------------------------------------------ references */

/* An externref token is a JNI global ref to the Java object (never 0): the same
   token comes back out of wasm and gives the same object. The glue hands it to
   wgj_externref_release when the store drops the reference (at the latest when
   the store is freed). DeleteGlobalRef is allowed with an exception pending. */
static atomic_long wgj_live_externrefs;

static void wgj_externref_release(uint64_t token) {
    JNIEnv *jenv = wgj_env();
    if (jenv && token) (*jenv)->DeleteGlobalRef(jenv, (jobject)(uintptr_t)token);
    atomic_fetch_sub(&wgj_live_externrefs, 1);
}

/* A new token for a Java object (0 for null), owned by the glue once given to it. */
JNIEXPORT jlong JNICALL Java_org_wasmer_NativeLibrary_externrefNew(JNIEnv *jenv, jclass jcls, jobject obj) {
    (void)jcls;
    if (!obj) return 0;
    jobject ref = (*jenv)->NewGlobalRef(jenv, obj);
    if (!ref) {
        wgj_throw_msg(jenv, WG_ERR_RUNTIME_ERROR, "out of memory (JNI global reference)");
        return 0;
    }
    atomic_fetch_add(&wgj_live_externrefs, 1);
    return (jlong)(intptr_t)ref;
}

/* The Java object of a token (null for 0). */
JNIEXPORT jobject JNICALL Java_org_wasmer_NativeLibrary_externrefGet(JNIEnv *jenv, jclass jcls, jlong token) {
    (void)jcls;
    return token ? (*jenv)->NewLocalRef(jenv, (jobject)(intptr_t)token) : NULL;
}

/* Frees a token the glue never took (the call failed before converting it). */
JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_externrefFree(JNIEnv *jenv, jclass jcls, jlong token) {
    (void)jenv;
    (void)jcls;
    if (token) wgj_externref_release((uint64_t)token);
}

JNIEXPORT jlong JNICALL Java_org_wasmer_NativeLibrary_liveExternrefs(JNIEnv *jenv, jclass jcls) {
    (void)jenv;
    (void)jcls;
    return (jlong)atomic_load(&wgj_live_externrefs);
}

/* Keeps a host function's results (Functions returned as funcrefs, borrowed by the
   glue) reachable until the glue has converted them, after the dispatcher returned:
   until the next host call on this thread, or drain(). */
JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_keepResults(JNIEnv *jenv, jclass jcls, jobject obj) {
    (void)jcls;
    wgj_unkeep(jenv);
    if (obj) wgj_tl.kept = (*jenv)->NewGlobalRef(jenv, obj);
}

/* ------------------------------------------------------------------ deletes */

/* The glue's delete function of a handle type (Native.T_*): defined by the generated
   wasmer_jni.c, one case per handle type of api.yaml. */
static wg_deleter wgj_deleter(jint type);

/* Deletes on the calling thread (explicit close()). */
JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_delete(JNIEnv *jenv, jclass jcls, jint type, jlong handle) {
    (void)jenv;
    (void)jcls;
    wg_deleter deleter = wgj_deleter(type);
    if (deleter && handle) deleter((void *)(intptr_t)handle);
}

/* Queues a delete (the Cleaner thread): run when a glue call in its store returns, by the next glue constructor or drain(). */
JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_deferDelete(JNIEnv *jenv, jclass jcls, jint type, jlong handle) {
    (void)jenv;
    (void)jcls;
    wg_deleter deleter = wgj_deleter(type);
    if (deleter && handle) wg_defer_delete(deleter, (void *)(intptr_t)handle);
}

JNIEXPORT void JNICALL Java_org_wasmer_NativeLibrary_drain(JNIEnv *jenv, jclass jcls) {
    (void)jcls;
    wgj_unkeep(jenv);
    wg_drain();
}

JNIEXPORT jbyteArray JNICALL Java_org_wasmer_NativeLibrary_specHash(JNIEnv *jenv, jclass jcls) {
    (void)jcls;
    const char *hash = wg_spec_hash();
    wg_bytes out = {0};
    out.len = strlen(hash);
    out.data = malloc(out.len + 1);
    if (!out.data) return NULL;
    memcpy(out.data, hash, out.len);
    return wgj_bytes_out(jenv, &out);
}

/* ------------------------------------------------------------------ loading */

static jclass wgj_class(JNIEnv *jenv, const char *name) {
    jclass local = (*jenv)->FindClass(jenv, name);
    if (!local) return NULL;
    jclass global = (*jenv)->NewGlobalRef(jenv, local);
    (*jenv)->DeleteLocalRef(jenv, local);
    return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *jenv = NULL;
    if ((*vm)->GetEnv(vm, (void **)&jenv, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    wgj_vm = vm;
    wgj_native = wgj_class(jenv, "org/wasmer/Native");
    wgj_library = wgj_class(jenv, "org/wasmer/NativeLibrary");
    wgj_illegal_state = wgj_class(jenv, "java/lang/IllegalStateException");
    jclass entry = (*jenv)->FindClass(jenv, "org/wasmer/HostEntry");
    if (!wgj_native || !wgj_library || !wgj_illegal_state || !entry) return JNI_ERR;
    wgj_error_mid = (*jenv)->GetStaticMethodID(jenv, wgj_native, "error", "(I[B)Ljava/lang/Throwable;");
    wgj_message_mid = (*jenv)->GetStaticMethodID(jenv, wgj_library, "hostMessage", "(Ljava/lang/Throwable;)[B");
    wgj_invoke_mid = (*jenv)->GetMethodID(jenv, entry, "invoke", "()Ljava/lang/Throwable;");
    (*jenv)->DeleteLocalRef(jenv, entry);
    if (!wgj_error_mid || !wgj_message_mid || !wgj_invoke_mid) return JNI_ERR;
    wg_set_host_callbacks(wgj_host_call, wgj_host_release);
    wg_set_externref_release(wgj_externref_release);
    return JNI_VERSION_1_8;
}

#endif /* WASMER_JNI_SUPPORT_H */
