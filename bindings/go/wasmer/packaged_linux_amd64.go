//go:build !custom_wasmer_runtime

package wasmer

// The release module (`nox -s package-go`) carries the prebuilt static libwasmer
// and its headers, as wasmer-go did: packaged/lib/linux-amd64/libwasmer.a and
// packaged/include/. By default the package links that (low.go's -lwasmer finds
// the static library in the directory below, nothing is needed at run time);
// building with `-tags custom_wasmer_runtime` links a libwasmer of your own instead,
// found through CGO_CFLAGS / CGO_LDFLAGS (see README.md). The development build of
// this repository (ci/langs/go.py) uses the tag: the repository has no packaged/.

// #cgo CFLAGS: -I${SRCDIR}/../packaged/include
// #cgo LDFLAGS: -L${SRCDIR}/../packaged/lib/linux-amd64 -lm -ldl -lrt -lpthread
import "C"
