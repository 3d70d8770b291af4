package faultengine

import (
	"context"
	"errors"
	"fmt"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/s3err"
)

// RoleEffect is what triggered role rules ask of the data a role call
// handles; the role applies it.
type RoleEffect struct {
	LoseWrite     bool
	CorruptStored bool
	StaleRead     bool
}

// ErrRoleFault marks the error of a role call failed by a rule.
var ErrRoleFault = errors.New("faults: injected role failure")

// roleError is a role call failed by a rule: it answers the S3 request with
// the rule's S3 error.
type roleError struct {
	rule string
	err  *s3err.Error
}

func (e *roleError) Error() string {
	return fmt.Sprintf("faults: rule %s failed the call: %v", e.rule, e.err)
}

func (e *roleError) Is(target error) bool { return target == ErrRoleFault }

func (e *roleError) As(target any) bool {
	if p, ok := target.(**s3err.Error); ok {
		*p = e.err
		return true
	}
	return false
}

// storageOpOf is the storage operation a metadata call stands for when it
// applies a storage rule's data action (lose_write, stale_read): a rule
// on the storage "Read" serves stale reads through the metadata "GetObject".
var storageOpOf = map[string]string{
	faultname.MetadataPutObject:      faultname.StorageWrite,
	faultname.MetadataCompleteUpload: faultname.StorageWrite,
	faultname.MetadataGetObject:      faultname.StorageRead,
	faultname.MetadataDeleteObject:   faultname.StorageDelete,
}

// Call describes one role call for Role.
type Call struct {
	Service faults.Service
	Op      string
	// Bucket and Key, when set, override those of the S3 request that ctx
	// carries.
	Bucket, Key string
	// Node names the storage node the call goes to.
	Node string
	// Also lists further services whose data-effect rules (lose_write,
	// stale_read) this call applies, so that a "storage" rule can lose a
	// write that only the metadata role can drop.
	Also []faults.Service
}

// Role applies the rules of a role call's service: it waits out delays,
// blocks on hangs until ctx ends, returns an error for failures, and reports
// the data effects the role must apply. The S3 request the call serves, if
// any, comes from ctx and gives the operation, bucket and key to match;
// the rules that trigger go to the request's fault trace.
func (e *Engine) Role(ctx context.Context, c Call) (RoleEffect, error) {
	service, op, bucket, key, dataServices := c.Service, c.Op, c.Bucket, c.Key, c.Also
	var eff RoleEffect
	if e.active.Load() == 0 {
		return eff, nil
	}
	req := Request{Service: service, RoleOp: op, Bucket: bucket, Key: key, Node: c.Node}
	if s3req := faulttrace.Request(ctx); s3req != nil {
		req.Operation, req.RequestID, req.Attempt = s3req.Operation, s3req.ID, s3req.Attempt
		req.Method, req.Header, req.RawQuery = s3req.Method, s3req.Header, s3req.RawQuery
		req.RemoteAddr = faulttrace.RemoteAddr(ctx)
		if req.Bucket == "" {
			req.Bucket, req.Key = s3req.Bucket, s3req.Key
		}
	}
	// A data action only triggers on the call that can apply it, so that a
	// rule on "PutObject" loses the record write, not the bucket lookup
	// before it.
	fs := e.evaluate(&req, func(k string) bool { return !isDataKind(k) || applies(k, service, op) })
	for _, svc := range dataServices {
		r := req
		r.Service = svc
		if svc == faultname.Storage && storageOpOf[op] != "" {
			r.RoleOp = storageOpOf[op]
		}
		fs = append(fs, e.evaluate(&r, func(k string) bool { return isDataKind(k) && applies(k, service, op) })...)
	}
	faulted := len(fs) > 0
	var err error
	for _, f := range fs {
		faulttrace.Add(ctx, f.id)
		switch f.action.Kind {
		case faultname.KindDelay, faultname.KindSlowClose:
			if !sleep(ctx, f.delay) {
				err = ctx.Err()
			}
		case faultname.KindHang:
			<-ctx.Done()
			err = ctx.Err()
		case faultname.KindError, faultname.KindFailWrite, faultname.KindDatabaseError:
			status, s3err := s3Error(f.action)
			s3err.Status = status
			err = &roleError{rule: f.id, err: s3err}
		case faultname.KindLoseWrite:
			eff.LoseWrite = true
		case faultname.KindCorruptStored:
			eff.CorruptStored = true
		case faultname.KindStaleRead:
			eff.StaleRead = true
		}
		if err != nil {
			break
		}
	}
	e.Record(service, string(op), faulted, err != nil)
	return eff, err
}

// isDataKind reports whether k acts on stored data rather than on the call.
func isDataKind(k string) bool {
	return k == faultname.KindLoseWrite || k == faultname.KindStaleRead || k == faultname.KindCorruptStored
}

// applies reports whether a call op of service applies the data action k.
// Losing a write or serving a stale read means choosing which record readers
// see, so the metadata role applies them, for storage rules too.
func applies(k string, service faults.Service, op string) bool {
	switch k {
	case faultname.KindCorruptStored:
		return service == faultname.Storage && op == faultname.StorageWrite
	case faultname.KindLoseWrite:
		return service == faultname.Metadata && (op == faultname.MetadataPutObject || op == faultname.MetadataCompleteUpload || op == faultname.MetadataDeleteObject)
	case faultname.KindStaleRead:
		return service == faultname.Metadata && op == faultname.MetadataGetObject
	}
	return false
}
