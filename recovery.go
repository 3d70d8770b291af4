package mocks3

import (
	"context"
	"fmt"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
)

// sweepOrphans deletes the blobs of a WithDir directory (and its storage
// nodes' directories) that no object or upload references: a crash between
// writing bytes and committing their record, or before replaced bytes were
// deleted, leaves them behind. It runs before the server serves, and logs
// how many it deleted.
func (s *Server) sweepOrphans(ctx context.Context) error {
	if s.cfg.dir == "" || s.cfg.backend != nil || s.cfg.ext.Endpoints != nil {
		return nil // the records or the bytes are not all this server's
	}
	used, err := referencedBlobs(ctx, s.backend)
	if err != nil {
		return fmt.Errorf("WithDir: listing the blobs in use: %w", err)
	}
	nodes := s.nodeBackends
	if len(nodes) == 0 {
		nodes = []backend.Backend{s.backend}
	}
	perNode := make([]map[backend.BlobID]bool, len(nodes))
	for i := range perNode {
		perNode[i] = make(map[backend.BlobID]bool)
	}
	for id := range used {
		copies := []backend.BlobID{id}
		if s.roles.replica != nil {
			copies, _ = s.roles.replica.Copies(id)
		}
		for i, c := range copies {
			if i < len(perNode) && c != "" {
				perNode[i][c] = true
			}
		}
	}
	total := 0
	for i, b := range nodes {
		d, ok := b.(*disk.Backend)
		if !ok {
			continue
		}
		n, err := d.SweepBlobs(ctx, func(id backend.BlobID) bool { return perNode[i][id] })
		total += n
		if err != nil {
			return fmt.Errorf("WithDir: deleting orphan blobs: %w", err)
		}
	}
	if s.cfg.logger != nil {
		s.cfg.logger.Info("orphan blobs deleted", "dir", s.cfg.dir, "count", total)
	}
	return nil
}

// referencedBlobs returns the blobs that the object versions and uploads in
// b use.
func referencedBlobs(ctx context.Context, b backend.Backend) (map[backend.BlobID]bool, error) {
	used := make(map[backend.BlobID]bool)
	addParts := func(parts []backend.Part) {
		for _, p := range parts {
			used[p.Blob] = true
		}
	}
	buckets, err := b.ListBuckets(ctx)
	if err != nil {
		return nil, err
	}
	for _, bk := range buckets {
		// Every version, not only the current ones: older versions keep
		// their bytes.
		const page = 1000
		for fromKey, fromVer := "", ""; ; {
			objs, err := b.ListVersions(ctx, bk.Name, fromKey, fromVer, page)
			if err != nil {
				return nil, err
			}
			for _, o := range objs {
				addParts(o.Parts)
			}
			if len(objs) < page {
				break
			}
			last := objs[len(objs)-1]
			fromKey, fromVer = last.Key, last.VersionID
			if fromVer == "" {
				fromVer = backend.NullVersion
			}
		}
		ups, err := b.ListUploads(ctx, bk.Name)
		if err != nil {
			return nil, err
		}
		for _, u := range ups {
			full, err := b.GetUpload(ctx, bk.Name, u.Key, u.ID)
			if err != nil {
				return nil, err
			}
			addParts(full.Parts)
		}
	}
	return used, nil
}
