// Package storage is the storage role: object bytes, streamed. The role is a
// backend.Blobs; NewHandler serves one over HTTP and Client calls such a
// service (stack mode); Replicated keeps a copy on each of several nodes,
// writing to all and reading from the first that answers.
package storage
