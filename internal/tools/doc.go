// Package tools pins the programs that liveplot's tests run: the GoNB kernel and goimports (which
// GoNB needs on PATH). It is a module of its own so that their Go versions and dependencies do not
// raise the minimum Go version of the library: a module that imports liveplot sees only the root
// go.mod. scripts/setup builds both into bin/ from the versions pinned here; GoNB's version must
// equal the one the root go.mod requires (the library imports GoNB's gonbui), which
// TestToolsPinTheLibrarysGoNB (internal/archdoc) checks.
package tools
