// Package archdoc holds no code: its test checks that the package picture in
// docs/architecture.md lists the imports between liveplot's packages that the code has.
package archdoc
