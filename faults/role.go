package faults

import "github.com/mocks3/mocks3/internal/faultname"

// isRoleOp reports whether op is an operation of service's role (see
// Rule.RoleOp).
func isRoleOp(service Service, op string) bool {
	return faultname.IsRoleOp(string(service), op)
}
