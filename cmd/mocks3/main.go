// Command mocks3 serves the mocks3 S3-compatible API for clients that are not
// Go tests: the aws CLI, boto3, rclone, s3cmd, curl.
//
// Usage:
//
//	mocks3 [serve] [-addr 127.0.0.1:8080] [-dir DIR] [-bucket a,b] [-region us-east-1]
//
// With no -dir it keeps everything in memory. It logs one line per request
// and shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mocks3/mocks3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "mocks3:", err)
		os.Exit(2)
	}
}

// run serves until ctx is done. ready, if set, gets the server's URL once it
// listens.
func run(ctx context.Context, args []string, logw io.Writer, ready func(url string)) error {
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("mocks3", flag.ContinueOnError)
	fs.SetOutput(logw)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("dir", "", "directory to keep data in (default: memory)")
	buckets := fs.String("bucket", "", "comma-separated buckets to create at start")
	region := fs.String("region", "us-east-1", "region to report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	logger := slog.New(slog.NewTextHandler(logw, nil))
	opts := []mocks3.Option{mocks3.WithAddr(*addr), mocks3.WithRegion(*region), mocks3.WithLogger(logger)}
	if *dir != "" {
		opts = append(opts, mocks3.WithDir(*dir))
	}
	for _, b := range strings.Split(*buckets, ",") {
		if b = strings.TrimSpace(b); b != "" {
			opts = append(opts, mocks3.WithBucket(b))
		}
	}
	srv, err := mocks3.NewServer(opts...)
	if err != nil {
		return err
	}
	logger.Info("mocks3 listening", "url", srv.URL, "region", *region, "dir", *dir)
	if ready != nil {
		ready(srv.URL)
	}
	<-ctx.Done()
	logger.Info("mocks3 shutting down")
	srv.Close()
	return nil
}
