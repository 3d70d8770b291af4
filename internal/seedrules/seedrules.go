// Package seedrules holds the rule bodies of the seed README's two curl
// examples, verbatim, so that the tests of the faults package, the fault
// engine's REST API and the admin API check the seed's JSON rule format
// against one copy of them.
package seedrules

import _ "embed"

var (
	//go:embed storage-random-error.json
	storageRandomError string
	//go:embed metadata-delay.json
	metadataDelay string
)

// StorageRandomError returns the README's first example: a 500 on 10% of
// storage calls.
func StorageRandomError() string { return storageRandomError }

// MetadataDelay returns the README's second example: a 2 s delay on 20% of
// metadata calls.
func MetadataDelay() string { return metadataDelay }
