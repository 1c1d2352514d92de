package directory

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// encodeUsers encodes f for the users file. When the file existed (orig),
// its comments are kept — the operator's header, and the comments on each
// user and on each of a user's fields — so `okuri user passwd` does not
// strip what the operator wrote there.
func encodeUsers(orig []byte, f *file) ([]byte, error) {
	var doc yaml.Node
	if len(strings.TrimSpace(string(orig))) == 0 || yaml.Unmarshal(orig, &doc) != nil || len(doc.Content) == 0 {
		return marshalUsers(f)
	}
	root := doc.Content[0]
	seq := mapValue(root, "users")
	if root.Kind != yaml.MappingNode || seq == nil || seq.Kind != yaml.SequenceNode {
		return marshalUsers(f)
	}
	old := map[string]*yaml.Node{}
	for _, n := range seq.Content {
		if a := mapValue(n, "address"); a != nil {
			old[strings.ToLower(a.Value)] = n
		}
	}
	content := make([]*yaml.Node, 0, len(f.Users))
	for i := range f.Users {
		var n yaml.Node
		if err := n.Encode(&f.Users[i]); err != nil {
			return nil, fmt.Errorf("directory: encode: %w", err)
		}
		if o := old[strings.ToLower(f.Users[i].Address)]; o != nil {
			keepComments(o, &n)
		}
		content = append(content, &n)
	}
	seq.Content = content
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("directory: encode: %w", err)
	}
	return out, nil
}

func marshalUsers(f *file) ([]byte, error) {
	out, err := yaml.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("directory: encode: %w", err)
	}
	return out, nil
}

// mapValue returns the value node of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keepComments copies the comments of the user mapping from to the new
// encoding to, on the mapping and on each key and value still present.
func keepComments(from, to *yaml.Node) {
	to.HeadComment, to.LineComment, to.FootComment = from.HeadComment, from.LineComment, from.FootComment
	for i := 0; i+1 < len(from.Content); i += 2 {
		k, v := from.Content[i], from.Content[i+1]
		for j := 0; j+1 < len(to.Content); j += 2 {
			if to.Content[j].Value != k.Value {
				continue
			}
			tk, tv := to.Content[j], to.Content[j+1]
			tk.HeadComment, tk.LineComment, tk.FootComment = k.HeadComment, k.LineComment, k.FootComment
			tv.HeadComment, tv.LineComment, tv.FootComment = v.HeadComment, v.LineComment, v.FootComment
		}
	}
}
