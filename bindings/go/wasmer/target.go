package wasmer

// Cross-compilation targets (wasmer-go's Target, Triple, CpuFeatures). This
// binding compiles for the host only: the names exist so that code written for
// wasmer-go compiles, and an Engine whose Config names a target (UseTarget)
// reports an error when used. Triples and CPU features are kept as given.

import (
	"runtime"
	"strings"
)

// Target is a triple and a set of CPU features to compile for.
type Target struct {
	triple      *Triple
	cpuFeatures *CpuFeatures
}

// NewTarget creates a target. Config.UseTarget with it makes an Engine that
// reports an error when used: cross-compilation is not available.
func NewTarget(triple *Triple, cpuFeatures *CpuFeatures) *Target {
	return &Target{triple: triple, cpuFeatures: cpuFeatures}
}

// String returns the target as "<triple>" or "<triple> +feature,...".
func (t *Target) String() string {
	s := t.triple.String()
	if t.cpuFeatures != nil && len(t.cpuFeatures.features) > 0 {
		s += " +" + strings.Join(t.cpuFeatures.features, ",")
	}
	return s
}

// Triple names a target: architecture, vendor, operating system and environment,
// as "aarch64-unknown-linux-gnu". It is kept as given (not checked).
type Triple struct {
	name string
}

// NewTriple creates a triple. The error is nil: the triple is checked by nothing,
// as nothing compiles for another target here (see Config.UseTarget).
func NewTriple(triple string) (*Triple, error) {
	return &Triple{name: triple}, nil
}

// NewTripleFromHost returns the triple of the host.
func NewTripleFromHost() *Triple {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "riscv64": "riscv64gc"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	system := map[string]string{"linux": "unknown-linux-gnu", "darwin": "apple-darwin", "windows": "pc-windows-msvc",
		"freebsd": "unknown-freebsd"}[runtime.GOOS]
	if system == "" {
		system = "unknown-" + runtime.GOOS
	}
	return &Triple{name: arch + "-" + system}
}

// String returns the triple as given.
func (t *Triple) String() string {
	if t == nil {
		return "<nil triple>"
	}
	return t.name
}

// CpuFeatures is a set of CPU features, by their GCC names ("sse2", "avx2", ...).
type CpuFeatures struct {
	features []string
}

// NewCpuFeatures creates an empty set of CPU features.
func NewCpuFeatures() *CpuFeatures {
	return &CpuFeatures{}
}

// Add adds a feature to the set (kept as given: nothing compiles for it here).
func (c *CpuFeatures) Add(feature string) error {
	c.features = append(c.features, feature)
	return nil
}
