package figure

import "strings"

// suggest returns the candidate closest to name by edit distance (ignoring case), or "" when
// none is close enough to be what was meant.
func suggest(name string, candidates []string) string {
	lname := strings.ToLower(name)
	best, bestDist := "", 1+len(name)/4
	if bestDist > 3 {
		bestDist = 3
	}
	for _, c := range candidates {
		if d := editDistance(lname, strings.ToLower(c)); d < bestDist || (d == bestDist && best == "") {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is suggest as a message suffix: ` (did you mean "color"?)`, or "".
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return ` (did you mean "` + s + `"?)`
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
