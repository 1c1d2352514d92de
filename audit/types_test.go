package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// eventTypes returns every Type* constant declared in event.go, name →
// value, read from the source so a new constant cannot be left out.
func eventTypes(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "event.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Type") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					types[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	if len(types) < 20 {
		t.Fatalf("found only %d event type constants in event.go", len(types))
	}
	return types
}

// TestEventTypesDocumented: every event type constant is described in
// docs/AUDIT.md, where auditors look up what an event means.
func TestEventTypesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/AUDIT.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range eventTypes(t) {
		if !strings.Contains(string(doc), "`"+v) {
			t.Errorf("%s (%q) is not in docs/AUDIT.md", name, v)
		}
	}
}

// TestEventTypesOnlyAsConstants: no Go source outside event.go spells an
// event type as a string literal, so a renamed or misspelt type cannot
// silently split the audit trail (tail, export and report match on it).
func TestEventTypesOnlyAsConstants(t *testing.T) {
	values := map[string]string{}
	for name, v := range eventTypes(t) {
		if name != "TypeAdminPrefix" {
			values[v] = name
		}
	}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == filepath.Join(root, "audit", "event.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			v, _ := strconv.Unquote(lit.Value)
			isAdmin := strings.HasPrefix(v, "admin.") && strings.Contains(v, "_")
			if name, ok := values[v]; ok || isAdmin {
				if name == "" {
					name = "a new admin.* constant"
				}
				t.Errorf("%s: event type %q as a literal; use audit.%s", fset.Position(lit.Pos()), v, name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
