// Command mocks3 serves the mocks3 S3-compatible API for clients that are not
// Go tests: the aws CLI, boto3, rclone, s3cmd, curl.
//
// Usage:
//
//	mocks3 [serve] [-addr 127.0.0.1:8080] [-dir DIR] [-bucket a,b] [-region us-east-1] [-faults FILE]
//
// With no -dir it keeps everything in memory. It logs one line per request
// and shuts down cleanly on SIGINT or SIGTERM.
//
// -faults loads fault rules at start from a JSON file in the seed's rule
// format (one rule, an array of rules or {"rules": [...]}; see
// faults.ParseRule), or from the same structure in YAML when the name ends
// in .yaml or .yml. The fault REST API is served under /_mocks3/api/v1/.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
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
	faultsFile := fs.String("faults", "", "JSON or YAML (.yaml, .yml) `file` of fault rules to load at start")
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
	if *faultsFile != "" {
		rules, err := loadRules(*faultsFile)
		if err != nil {
			return err
		}
		opts = append(opts, mocks3.WithFaults(rules...))
		logger.Info("fault rules loaded", "file", *faultsFile, "rules", len(rules))
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

// loadRules reads fault rules from a JSON file or, by its extension, a YAML
// one. YAML is converted to JSON first, so both go through one parser and
// give the same errors.
func loadRules(name string) ([]faults.Rule, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-faults: %w", err)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		if data, err = yamlToJSON(data); err != nil {
			return nil, fmt.Errorf("-faults %s: %w", name, err)
		}
	}
	rules, err := faults.ParseRules(data)
	if err != nil {
		return nil, fmt.Errorf("-faults %s: %w", name, err)
	}
	return rules, nil
}

// yamlToJSON converts one YAML document to JSON.
func yamlToJSON(data []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("no rules: the file is empty")
	}
	v, err := jsonValue(v, "")
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// jsonValue checks that a decoded YAML value has a JSON equivalent: maps
// keyed by strings, no NaN or infinities.
func jsonValue(v any, path string) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			var err error
			if v[k], err = jsonValue(e, joinPath(path, k)); err != nil {
				return nil, err
			}
		}
	case map[any]any:
		return nil, fmt.Errorf("%s: a mapping with a key that is not a string", orRoot(path))
	case []any:
		for i, e := range v {
			var err error
			if v[i], err = jsonValue(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %v has no JSON equivalent", orRoot(path), v)
		}
	}
	return v, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "document"
	}
	return path
}
