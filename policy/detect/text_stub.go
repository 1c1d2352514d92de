package detect

// Text receives one free-text document (body, DOCX paragraphs, PDF text).
type Text struct {
	r   *Report
	loc Location
}

// Text starts a free-text document at loc.
func (r *Report) Text(loc Location) *Text { return &Text{r: r, loc: loc} }

// Write scans UTF-8 text in any chunking. It never fails.
func (t *Text) Write(p []byte) (int, error) { return len(p), nil }

// Close finishes the document and adds its records to the Report.
func (t *Text) Close() {}

// Table receives the rows of one table (CSV file, sheet, DOCX/HTML table).
type Table struct {
	r   *Report
	loc Location
}

// Table starts a table at loc.
func (r *Report) Table(loc Location) *Table { return &Table{r: r, loc: loc} }

// Row scans one row; cells are valid only during the call.
func (t *Table) Row(cells [][]byte) {}

// Close finishes the table and adds its records to the Report.
func (t *Table) Close() {}
