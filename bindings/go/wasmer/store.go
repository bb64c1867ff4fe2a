package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Store owns every runtime object: instances, functions, memories, globals, tables.
//
// Threads: every object may be used from any goroutine. Calls into one store
// (its instances, functions, memories, globals, tables) are serialized by a
// lock in the shared glue, taken and released inside each call (a goroutine may
// move to another thread between two calls), so goroutines that share an
// instance take turns and always compute the right result; for parallel
// execution give each goroutine its own Store and instance. A host function may
// call back into its own instance on the same goroutine. A memory view
// (Memory.Data) is raw memory: reading it while another goroutine runs wasm in
// the same store is a data race, as with any shared buffer.
//
// Finalizers run on another goroutine, so an object of a store that is
// collected is not deleted there: it waits in its store, and is deleted the
// next time the store makes something, or with the store when the store itself
// is collected (then through the glue's deferred deletes).
type Store struct {
	h *C.wg_store
	// Engine is the store's engine.
	Engine *Engine
	err    error

	mu               sync.Mutex
	pending          int32 // atomic: something waits in the lists below
	pendingInstances []*C.wg_instance
	pendingExterns   []*C.wg_extern
}

// NewStore instantiates a Store attached to an Engine.
func NewStore(engine *Engine) *Store {
	s := &Store{Engine: engine}
	eh, err := engine.handle()
	if err == nil {
		s.h, err = lowStoreNew(eh)
		runtime.KeepAlive(engine)
	}
	s.err = err
	runtime.SetFinalizer(s, (*Store).finalize)
	return s
}

// deleteLater is called by the finalizer of an object of the store. Once the
// store is closed nothing drains its lists: the delete goes to the glue's queue.
func (s *Store) deleteLater(instance *C.wg_instance, extern *C.wg_extern) {
	s.mu.Lock()
	if s.h == nil {
		s.mu.Unlock()
		if instance != nil {
			deferDeleteWgInstance(instance)
		}
		if extern != nil {
			deferDeleteWgExtern(extern)
		}
		return
	}
	if instance != nil {
		s.pendingInstances = append(s.pendingInstances, instance)
	}
	if extern != nil {
		s.pendingExterns = append(s.pendingExterns, extern)
	}
	atomic.StoreInt32(&s.pending, 1)
	s.mu.Unlock()
}

func (s *Store) takePending() ([]*C.wg_instance, []*C.wg_extern) {
	if atomic.LoadInt32(&s.pending) == 0 {
		return nil, nil
	}
	s.mu.Lock()
	instances, externs := s.pendingInstances, s.pendingExterns
	s.pendingInstances, s.pendingExterns = nil, nil
	atomic.StoreInt32(&s.pending, 0)
	s.mu.Unlock()
	return instances, externs
}

// drain deletes the store's collected objects, on the goroutine using the store.
func (s *Store) drain() {
	instances, externs := s.takePending()
	for _, h := range instances {
		deleteWgInstance(h)
	}
	for _, h := range externs {
		deleteWgExtern(h)
	}
}

func (s *Store) finalize() {
	instances, externs := s.takePending()
	for _, h := range instances {
		deferDeleteWgInstance(h)
	}
	for _, h := range externs {
		deferDeleteWgExtern(h)
	}
	if s.h != nil {
		deferDeleteWgStore(s.h)
	}
}

// handle is the glue store, after deleting the store's collected objects.
func (s *Store) handle() (*C.wg_store, error) {
	if s == nil {
		return nil, newErrorf(codeArgumentError, "the store is nil")
	}
	if s.err != nil {
		return nil, s.err
	}
	if s.h == nil {
		return nil, errClosed("store")
	}
	s.drain()
	return s.h, nil
}

// Close frees the store. The objects made from it stay valid until they are
// closed (or collected) themselves: the runtime frees the store's memory with
// the last of them.
func (s *Store) Close() {
	s.mu.Lock()
	h := s.h
	s.h = nil // from now on, finalizers queue their deletes in the glue
	s.mu.Unlock()
	if h != nil {
		s.drain()
		deleteWgStore(h)
	}
}
