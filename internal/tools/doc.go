// Package tools pins the programs that liveplot's tests run: the GoNB kernel and goimports (which
// GoNB needs on PATH). It is a module of its own so that their Go versions (goimports, from
// golang.org/x/tools, needs Go 1.26) and dependencies do not count for the library: a module that
// imports liveplot sees only the root go.mod. scripts/setup builds both into bin/ from the versions pinned here; GoNB's version must
// equal the one the root go.mod requires (the library imports GoNB's gonbui), which
// TestToolsPinTheLibrarysGoNB (internal/archdoc) checks.
package tools
