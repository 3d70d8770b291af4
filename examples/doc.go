// Package examples holds runnable example tests for mocks3: copy what you
// need.
package examples
