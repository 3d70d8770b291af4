//go:build clientmatrix

package clientmatrix

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// newBoto3 drives boto3 through testdata/boto3_ops.py; uploads go through
// its managed transfer (multipart from 8 MiB).
func newBoto3(t *testing.T, tg *target, accessKey, secretKey string) *driver {
	python := os.Getenv("MOCKS3_PYTHON")
	if python == "" {
		python = "python3"
	}
	if p, err := exec.LookPath(python); err == nil {
		python = unshim(p)
	}
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		t.Fatalf("%s cannot import boto3 (%v): run `bash .ci/clients`, or `apt-get install -y --no-install-recommends python3-boto3` and set MOCKS3_PYTHON=/usr/bin/python3", python, err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "boto3_ops.py"))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := cleanEnv(home, "MX_ENDPOINT="+tg.url, "AWS_ACCESS_KEY_ID="+accessKey, "AWS_SECRET_ACCESS_KEY="+secretKey,
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true")
	if !tg.defaults {
		env = append(env, "MX_SIGV4=1")
	}
	if tg.caFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+tg.caFile)
	}
	return scriptDriver(t, env, python, script)
}

// scriptDriver drives a script that serves the matrix's operations over
// its stdin and stdout, one JSON line each way (boto3_ops.py,
// jssdk_ops.cjs): one process for the driver's test, as an interpreter and
// an SDK take a second to load.
func scriptDriver(t *testing.T, env []string, interpreter, script string) *driver {
	cmd := exec.Command(interpreter, script)
	cmd.Env = env
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s %s: %v", interpreter, script, err)
	}
	t.Cleanup(func() {
		stdin.Close() // the script ends at EOF
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s exited with %v\n%s", filepath.Base(script), err, stderr.String())
		}
	})
	answers := bufio.NewReader(stdout)
	var mu sync.Mutex // one operation at a time
	op := func(result any, args ...string) error {
		mu.Lock()
		defer mu.Unlock()
		name := filepath.Base(script) + " " + strings.Join(args, " ")
		line, _ := json.Marshal(args)
		if _, err := stdin.Write(append(line, '\n')); err != nil {
			return fmt.Errorf("%s: %v\n%s", name, err, stderr.String())
		}
		if f, ok := stdout.(*os.File); ok {
			f.SetReadDeadline(time.Now().Add(commandTimeout))
		}
		answer, err := answers.ReadBytes('\n')
		if err != nil {
			return fmt.Errorf("%s: no answer: %v\n%s", name, err, stderr.String())
		}
		var out struct {
			OK     bool
			Result json.RawMessage
			Error  string
		}
		if err := json.Unmarshal(answer, &out); err != nil {
			return fmt.Errorf("%s: answer %q: %v", name, answer, err)
		}
		if !out.OK {
			return fmt.Errorf("%s: %s", name, out.Error)
		}
		if result == nil {
			return nil
		}
		if err := json.Unmarshal(out.Result, result); err != nil {
			return fmt.Errorf("%s: result %s: %v", name, out.Result, err)
		}
		return nil
	}
	return &driver{
		mb:  func(b string) error { return op(nil, "mb", b) },
		rb:  func(b string) error { return op(nil, "rb", b) },
		put: func(b, k, file string) error { return op(nil, "put", b, k, file) },
		get: func(b, k, file string) error { return op(nil, "get", b, k, file) },
		ls: func(b string) ([]string, error) {
			var keys []string
			err := op(&keys, "ls", b)
			return keys, err
		},
		cp: func(b, src, dst string) error { return op(nil, "cp", b, src, dst) },
		presign: func(b, k string) (string, error) {
			var u string
			err := op(&u, "presign", b, k)
			return u, err
		},
		versioning: func(b string) error {
			var status string
			if err := op(&status, "versioning", b); err != nil {
				return err
			}
			if status != "Enabled" {
				return fmt.Errorf("versioning status after enabling it = %q, want Enabled", status)
			}
			return nil
		},
		versions: func(b string) ([]version, error) {
			var vs []version
			err := op(&vs, "versions", b)
			return vs, err
		},
		rm: func(b, k string) error { return op(nil, "rm", b, k) },
		putTags: func(b, k string, tags map[string]string) error {
			args := []string{"puttags", b, k}
			for key, v := range tags {
				args = append(args, key+"="+v)
			}
			return op(nil, args...)
		},
		getTags: func(b, k string) (map[string]string, error) {
			var tags map[string]string
			err := op(&tags, "gettags", b, k)
			return tags, err
		},
		deleteObjects: func(b string, keys []string) error {
			var deleted []string
			if err := op(&deleted, append([]string{"delobjs", b}, keys...)...); err != nil {
				return err
			}
			// The client's own reading of the response, sorted by the script.
			if want := slices.Sorted(slices.Values(keys)); !slices.Equal(deleted, want) {
				return fmt.Errorf("DeleteObjects reported %q deleted, want %q", deleted, want)
			}
			return nil
		},
	}
}

// syncBuffer is a bytes.Buffer that a command's output copier and the test
// may use at once.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
