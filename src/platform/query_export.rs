//! Reads what `sf data query` writes — CSV (`--result-format csv`) or JSON (`--json`, or a bare
//! QueryResult `{"records": [...]}`) — as rows of named cells, each with the line it is on, so
//! that the readers of an org's exports (`--dependencies`, `--fields`) say `file:line` when a row
//! is wrong. A column may name a relationship field (`EntityDefinition.QualifiedApiName`): the CSV
//! header spells it so, the JSON nests it; booleans come back as `true`/`false`.

/// A problem with an export file, at `file:line` (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(file, *line))]
pub struct ExportError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

fn location(file: &str, line: usize) -> String {
    if line > 0 { format!("{file}:{line}: ") } else { format!("{file}: ") }
}

/// The text of the export at `path` (`what` names it in errors) and the name errors give it.
pub fn read_text(path: &std::path::Path, what: &str) -> Result<(String, String), ExportError> {
    let file = path.display().to_string();
    let error = |message: String| ExportError { file: file.clone(), line: 0, message };
    let bytes = crate::disk::read_regular(path, crate::disk::MAX_FILE_BYTES)
        .map_err(|e| error(format!("cannot read {what}: {}", e.reason())))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| error(format!("not UTF-8 (byte {}): save the export as UTF-8", e.utf8_error().valid_up_to())))?;
    Ok((file, text))
}

/// One record: its line and its cells, in the order of the columns asked for.
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// What to read and how to say what is missing.
pub struct Export<'a> {
    /// The file's name, for errors.
    pub file: &'a str,
    /// The columns wanted, as the CSV header names them.
    pub columns: &'a [&'a str],
    /// The command that writes such a file, for "missing column" errors.
    pub query_hint: &'a str,
}

impl Export<'_> {
    fn error(&self, line: usize, message: String) -> ExportError {
        ExportError { file: self.file.to_string(), line, message }
    }

    /// The records of `text` (CSV or JSON, told apart by the first character).
    pub fn records(&self, text: &str) -> Result<Vec<Record>, ExportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') { self.json(text) } else { self.csv(text) }
    }

    fn missing_columns(&self, line: usize, found: &[String]) -> ExportError {
        let missing: Vec<String> =
            self.columns.iter().filter(|c| !found.iter().any(|f| f == *c)).map(|c| format!("`{c}`")).collect();
        self.error(
            line,
            format!(
                "missing column{} {}: export with {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                self.query_hint
            ),
        )
    }

    fn csv(&self, text: &str) -> Result<Vec<Record>, ExportError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let csv_error = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            self.error(line, format!("not a CSV export: {e}"))
        };
        let header: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(|h| h.trim().to_string()).collect();
        let Some(indices) =
            self.columns.iter().map(|c| header.iter().position(|h| h == c)).collect::<Option<Vec<usize>>>()
        else {
            return Err(self.missing_columns(1, &header));
        };
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            // The CLI may end its output with a one-cell summary line.
            if record.len() == 1 && record[0].starts_with("Total number of records") {
                continue;
            }
            if record.len() != header.len() {
                return Err(self.error(line, format!("{} cells where the header has {}", record.len(), header.len())));
            }
            records.push(Record { line, cells: indices.iter().map(|&i| record[i].to_string()).collect() });
        }
        Ok(records)
    }

    fn json(&self, text: &str) -> Result<Vec<Record>, ExportError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| self.error(e.line(), format!("not a JSON export: {e}")))?;
        if let Some(status) = value.get("status").and_then(serde_json::Value::as_i64)
            && status != 0
        {
            let message = value.get("message").and_then(serde_json::Value::as_str).unwrap_or("no message");
            return Err(self.error(0, format!("the export is a failed query (status {status}): {message}")));
        }
        let records = value
            .get("result")
            .and_then(|r| r.get("records"))
            .or_else(|| value.get("records"))
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| {
                self.error(
                    0,
                    "no `result.records` array: expected the output of `sf data query --use-tooling-api --json`".into(),
                )
            })?;
        let lines = record_lines(text);
        let mut out = Vec::new();
        for (i, record) in records.iter().enumerate() {
            let line = lines.get(i).copied().unwrap_or(0);
            if !record.is_object() {
                return Err(self.error(line, format!("record {} is not an object", i + 1)));
            }
            let mut cells = Vec::new();
            for column in self.columns {
                let found = column.split('.').try_fold(record, |v, key| v.get(key));
                cells.push(match found {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Bool(b)) => b.to_string(),
                    Some(serde_json::Value::Null) | None => {
                        let keys: Vec<String> =
                            self.columns.iter().filter(|c| has_path(record, c)).map(|c| c.to_string()).collect();
                        if keys.len() == self.columns.len() {
                            return Err(self.error(line, format!("record {}: `{column}` is null", i + 1)));
                        }
                        return Err(self.missing_columns(line, &keys));
                    }
                    Some(other) => {
                        return Err(self.error(line, format!("record {}: `{column}` is {other}, not a string", i + 1)));
                    }
                });
            }
            out.push(Record { line, cells });
        }
        Ok(out)
    }
}

fn has_path(record: &serde_json::Value, column: &str) -> bool {
    column.split('.').try_fold(record, |v, key| v.get(key)).is_some()
}

/// The line each element of the first `"records": [...]` array starts on (serde_json keeps no
/// positions, so the array is scanned: strings skipped, brackets counted).
fn record_lines(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut search = 0;
    let start = loop {
        let Some(found) = text[search..].find("\"records\"") else { return Vec::new() };
        let mut i = search + found + "\"records\"".len();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b':') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'[') {
                break i + 1;
            }
        }
        search = search + found + 1;
    };
    let mut lines = Vec::new();
    let mut line = 1 + text[..start].matches('\n').count();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting = true;
    for &b in &bytes[start..] {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            b']' | b'}' if depth == 0 => break,
            b',' if depth == 0 => {
                expecting = true;
                continue;
            }
            _ => {}
        }
        if expecting {
            lines.push(line);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
    }
    lines
}
