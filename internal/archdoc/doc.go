// Package archdoc holds no code: its tests check that the package picture in
// docs/architecture.md lists the imports between liveplot's packages that the code has, and that
// the GoNB the tests run is the one the library imports.
package archdoc
