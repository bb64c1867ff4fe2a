//go:build custom_wasmer_runtime

package wasmer

// Built with `-tags custom_wasmer_runtime`: libwasmer is not the one packaged in
// the module but one of your own, found through the environment, e.g.
//
//	CGO_CFLAGS="-I$WASMER_DIR/include" CGO_LDFLAGS="-L$WASMER_DIR/lib -Wl,-rpath,$WASMER_DIR/lib"
//
// (low.go links -lwasmer: libwasmer.so, or libwasmer.a when it is the only one).
