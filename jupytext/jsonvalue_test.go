package jupytext_test

import (
	"fmt"

	"github.com/liveplot/liveplot/jupytext"
)

// Put a kernel's mime bundle into a cell output.
func ExampleParseJSON() {
	v, err := jupytext.ParseJSON([]byte(`{"text/plain": "42", "application/json": {"n": 1.50, "k": [1, 2e3]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	data := v.(*jupytext.Map)
	fmt.Println(data.Keys(), data.String("text/plain"))
	j := data.Sub("application/json")
	n, _ := j.Get("n")
	k, _ := j.Get("k")
	fmt.Println(n, k)
	// Output:
	// [text/plain application/json] 42
	// 1.5 [1 2000.0]
}
