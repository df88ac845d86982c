package jupytext

import "strings"

// metadataFilter is jupytext's metadata filter: keys to show in addition to
// the defaults, and keys to hide ("all" for either).
type metadataFilter struct {
	additional    []string
	additionalAll bool
	excluded      []string
	excludedAll   bool
}

// parseMetadataFilter reads a filter given as "key1,-key2,...", as a
// boolean, or as a mapping with "additional" and "excluded".
func parseMetadataFilter(v any) *metadataFilter {
	f := &metadataFilter{}
	switch v := v.(type) {
	case nil:
	case bool:
		f.additionalAll, f.excludedAll = v, !v
	case *Map:
		read := func(x any) ([]string, bool) {
			if s, ok := x.(string); ok {
				return nil, s == "all"
			}
			var list []string
			if l, ok := x.([]any); ok {
				for _, e := range l {
					if s, ok := e.(string); ok {
						list = append(list, s)
					}
				}
			}
			return list, false
		}
		f.additional, f.additionalAll = read(v.values["additional"])
		f.excluded, f.excludedAll = read(v.values["excluded"])
	case string:
		for _, key := range strings.Split(v, ",") {
			key = pyStrip(key)
			switch {
			case strings.HasPrefix(key, "-"):
				f.excluded = append(f.excluded, pyStrip(key[1:]))
			case strings.HasPrefix(key, "+"):
				f.additional = append(f.additional, pyStrip(key[1:]))
			default:
				f.additional = append(f.additional, key)
			}
		}
		clean := func(list []string) ([]string, bool) {
			var out []string
			for _, k := range list {
				if k == "all" {
					return nil, true
				}
				if k != "" {
					out = append(out, k)
				}
			}
			return out, false
		}
		f.additional, f.additionalAll = clean(f.additional)
		f.excluded, f.excludedAll = clean(f.excluded)
	}
	return f
}

// String writes the filter back as text.
func (f *metadataFilter) String() string {
	var entries []string
	if f.additionalAll {
		entries = []string{"all"}
	} else {
		for _, k := range f.additional {
			if !isJupytextCellMetadata(k) {
				entries = append(entries, k)
			}
		}
	}
	if f.excludedAll {
		entries = append(entries, "-all")
	} else {
		for _, k := range f.excluded {
			entries = append(entries, "-"+k)
		}
	}
	return strings.Join(entries, ",")
}

// filterMetadata applies a user filter over a default one. A default that
// names keys (the notebook's) shows only those keys; a default that
// excludes keys (the cells') shows all others.
func filterMetadata(metadata *Map, user any, defaultFilter *metadataFilter) *Map {
	u := parseMetadataFilter(user)
	defaultExcludeAll := defaultFilter.excludedAll || (len(defaultFilter.additional) > 0 && len(defaultFilter.excluded) == 0)
	if defaultExcludeAll {
		switch {
		case u.additionalAll:
			return subsetMetadata(metadata, nil, false, u.excluded)
		case u.excludedAll:
			return subsetMetadata(metadata, u.additional, true, nil)
		}
		keep := append(append([]string(nil), u.additional...), defaultFilter.additional...)
		return subsetMetadata(metadata, keep, true, u.excluded)
	}
	switch {
	case u.additionalAll:
		return subsetMetadata(metadata, nil, false, u.excluded)
	case u.excludedAll:
		return subsetMetadata(metadata, u.additional, true, nil)
	}
	if tags, ok := metadata.Get("tags"); ok && isEmptyValue(tags) {
		metadata = metadata.Clone()
		metadata.Delete("tags")
	}
	exclude := append([]string(nil), u.excluded...)
	for _, k := range defaultFilter.excluded {
		if !containsString(u.additional, k) {
			exclude = append(exclude, k)
		}
	}
	return subsetMetadata(metadata, nil, false, exclude)
}

// isEmptyValue tells whether Python would find v false.
func isEmptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case *Map:
		return v.Len() == 0
	case Number:
		return v == "0" || v == "0.0" || v == "-0.0"
	}
	return false
}

// secondLevel maps "a.b" entries to {"a": ["b"]}.
func secondLevel(keys []string) (map[string][]string, []string) {
	sub := map[string][]string{}
	var order []string
	for _, k := range keys {
		if left, right, ok := strings.Cut(k, "."); ok {
			if _, seen := sub[left]; !seen {
				order = append(order, left)
			}
			sub[left] = append(sub[left], right)
		}
	}
	return sub, order
}

// subsetMetadata keeps the valid keys of metadata that are in keepOnly
// (when useKeep), then drops those in exclude; "a.b" entries act one level
// down.
func subsetMetadata(metadata *Map, keepOnly []string, useKeep bool, exclude []string) *Map {
	var supported []string
	for _, k := range metadata.Keys() {
		if isValidMetadataKey(k) {
			supported = append(supported, k)
		}
	}
	filtered := NewMap()
	if useKeep {
		for _, k := range supported {
			if containsString(keepOnly, k) {
				filtered.Set(k, metadata.values[k])
			}
		}
		sub, _ := secondLevel(keepOnly)
		for _, k := range supported {
			if subKeys, ok := sub[k]; ok {
				if m, isMap := metadata.values[k].(*Map); isMap {
					filtered.Set(k, subsetMetadata(m, subKeys, true, nil))
				}
			}
		}
	} else {
		for _, k := range supported {
			filtered.Set(k, metadata.values[k])
		}
	}
	for _, k := range exclude {
		filtered.Delete(k)
	}
	sub, order := secondLevel(exclude)
	for _, k := range order {
		if m, ok := filtered.values[k].(*Map); ok && filtered.Has(k) {
			filtered.Set(k, subsetMetadata(m, nil, false, sub[k]))
		}
	}
	return filtered
}
