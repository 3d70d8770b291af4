package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// decodeObject decodes the JSON object raw into the struct dst points to,
// strictly, because encoding/json matches keys without regard to case and
// names no path: every key must be the json tag of one of dst's fields,
// spelt exactly, and a value of the wrong type is an error naming the
// field's path and what the field's want tag says it wants. null counts as
// absent. Fields that are pointers to structs or slices of structs are
// decoded the same way, their paths extended ("conditions[0].value").
func decodeObject(path string, raw json.RawMessage, dst any) error {
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		if path == "" {
			return errors.New("want a JSON object")
		}
		return pathErr(path, "want an object")
	}
	v := reflect.ValueOf(dst).Elem()
	fields := wireFields(v.Type())
	for _, k := range sortedKeys(m) {
		if !slices.ContainsFunc(fields, func(f wireField) bool { return f.name == k }) {
			names := make([]string, len(fields))
			for i, f := range fields {
				names[i] = f.name
			}
			return pathErr(join(path, k), "unknown field (want %s)", strings.Join(names, ", "))
		}
	}
	for _, f := range fields {
		raw, ok := m[f.name]
		if !ok || isNull(raw) {
			continue
		}
		if err := decodeValue(join(path, f.name), raw, v.Field(f.index), f.want); err != nil {
			return err
		}
	}
	return nil
}

func decodeValue(path string, raw json.RawMessage, v reflect.Value, want string) error {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		p := reflect.New(t.Elem())
		if err := decodeObject(path, raw, p.Interface()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		var items []json.RawMessage
		if firstByte(raw) != '[' || json.Unmarshal(raw, &items) != nil {
			return pathErr(path, "want %s", want)
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeObject(index(path, i), item, s.Index(i).Addr().Interface()); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		return pathErr(path, "want %s", want)
	}
	return nil
}

// wireField is a field of a wire struct: its JSON name, its index and
// what a type error says it wants.
type wireField struct {
	name  string
	index int
	want  string
}

func wireFields(t reflect.Type) []wireField {
	fields := make([]wireField, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields = append(fields, wireField{name: name, index: i, want: f.Tag.Get("want")})
	}
	return fields
}

// checkJSON reports malformed JSON with the byte offset where it breaks.
func checkJSON(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, err)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func pathErr(path, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if path == "" {
		return errors.New(msg)
	}
	return errors.New(path + ": " + msg)
}

func join(path string, names ...string) string {
	for _, n := range names {
		if path != "" {
			path += "."
		}
		path += n
	}
	return path
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func firstByte(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
