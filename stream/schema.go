package stream

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/liveplot/liveplot/internal/plotlyjs"
)

// arrayPaths returns the attribute paths of a trace type that hold one value per point (data
// arrays, and attributes that accept an array such as marker.color and text), from the plot
// schema of the embedded plotly.js. ok is false when the schema does not know the type.
func arrayPaths(traceType string) (paths map[string]bool, ok bool, err error) {
	all, err := schemaArrayPaths()
	if err != nil {
		return nil, false, err
	}
	paths, ok = all[traceType]
	return paths, ok, nil
}

// schemaArrayPaths reads the plot schema once, on the first Open.
var schemaArrayPaths = sync.OnceValues(func() (map[string]map[string]bool, error) {
	var schema struct {
		Traces map[string]struct {
			Attributes map[string]any `json:"attributes"`
		} `json:"traces"`
	}
	if err := json.Unmarshal(plotlyjs.Schema, &schema); err != nil {
		return nil, fmt.Errorf("stream: reading the plotly.js plot schema: %w", err)
	}
	out := make(map[string]map[string]bool, len(schema.Traces))
	for name, trace := range schema.Traces {
		paths := map[string]bool{}
		collectArrayPaths("", trace.Attributes, paths)
		out[name] = paths
	}
	return out, nil
})

func collectArrayPaths(prefix string, attrs map[string]any, into map[string]bool) {
	for name, v := range attrs {
		attr, ok := v.(map[string]any)
		if !ok {
			continue
		}
		valType, isAttr := attr["valType"].(string)
		if !isAttr {
			collectArrayPaths(prefix+name+".", attr, into)
			continue
		}
		if arrayOK, _ := attr["arrayOk"].(bool); valType == "data_array" || arrayOK {
			into[prefix+name] = true
		}
	}
}
