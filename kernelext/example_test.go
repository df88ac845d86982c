package kernelext_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/liveplot/liveplot/kernelext"
)

func ExampleNewLocalPage() {
	page, err := kernelext.NewLocalPage("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer page.Close()
	// An output with an ID is replaced in place by the next output with that ID.
	page.Display(context.Background(), kernelext.Output{ID: "greeting", HTML: "<p>hello</p>"})
	page.Display(context.Background(), kernelext.Output{ID: "greeting", HTML: "<p>hello again</p>"})

	// Frames on a channel go to every open page subscribed to it; a page that subscribes later
	// gets the snapshot first.
	ch, err := page.OpenChannel("temperature", func() []byte { return []byte(`{"reset":true}`) })
	if err != nil {
		fmt.Println(err)
		return
	}
	ch.Send([]byte(`{"seq":1}`))
	ch.Close(context.Background())

	resp, err := http.Get(page.URL()) // the URL carries the page's secret
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.Contains(string(body), "hello again"), strings.Contains(string(body), "<p>hello</p>"))
	// Output: 200 true false
}

// A page mounted in a server of your own, under /plots/ (behind your TLS or authentication).
func ExampleNewLocalPageHandler() {
	page := kernelext.NewLocalPageHandler()
	mux := http.NewServeMux()
	mux.Handle("/plots/", http.StripPrefix("/plots", page))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	page.Display(context.Background(), kernelext.Output{ID: "greeting", HTML: "<p>hello</p>"})

	resp, err := http.Get(srv.URL + "/plots/" + page.URL()) // URL is "?s=" and the secret
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.Contains(string(body), "hello"))

	// Shutdown tells open pages that the program stopped, after sending what was queued.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println(page.Shutdown(ctx))
	// Output:
	// 200 true
	// <nil>
}

func ExampleAtInterrupt() {
	// Inside GoNB, the stop button runs fn (and then ends the cell cleanly); elsewhere
	// AtInterrupt does nothing. stream.Open registers each link this way.
	remove := kernelext.AtInterrupt(func(ctx context.Context) { fmt.Println("flushing") })
	defer remove()
	fmt.Println("streaming")
	// Output: streaming
}
