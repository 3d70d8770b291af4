package main

import (
	"errors"
	"strings"

	"github.com/mocks3/mocks3"
)

// userFlag is the repeatable -user ACCESS_KEY:SECRET_KEY; in -config a
// list, which arrives comma-separated.
type userFlag [][2]string

func (u *userFlag) String() string {
	if u == nil {
		return ""
	}
	keys := make([]string, len(*u))
	for i, k := range *u {
		keys[i] = k[0] + ":..." // secrets stay out of -help and logs
	}
	return strings.Join(keys, ",")
}

func (u *userFlag) Set(s string) error {
	for item := range strings.SplitSeq(s, ",") {
		ak, sk, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || ak == "" || sk == "" {
			return errors.New("want ACCESS_KEY:SECRET_KEY")
		}
		*u = append(*u, [2]string{ak, sk})
	}
	return nil
}

// options makes the first user the server's own credentials (the owner of
// -bucket) and the others users named by their access keys.
func (u userFlag) options() []mocks3.Option {
	var opts []mocks3.Option
	for i, k := range u {
		if i == 0 {
			opts = append(opts, mocks3.WithCredentials(k[0], k[1]))
		} else {
			opts = append(opts, mocks3.WithUser(k[0], k[0], k[1]))
		}
	}
	return opts
}
