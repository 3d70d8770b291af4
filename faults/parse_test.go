package faults

import "fmt"

// parseOne parses a document that must hold exactly one rule.
func parseOne(data []byte) (Rule, error) {
	rules, err := ParseRules(data)
	if err != nil {
		return Rule{}, err
	}
	if len(rules) != 1 {
		return Rule{}, fmt.Errorf("want one rule, got %d", len(rules))
	}
	return rules[0], nil
}
