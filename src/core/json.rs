//! A small JSON reader and writer for the widget's own formats: the configuration, the
//! locales, the policy, the consent cookie, the proof-of-consent record and the outbox.
//!
//! Why not serde_json: its generic deserializers were a fifth of the wasm a visitor
//! downloads, for a handful of small documents. Reading goes through [`Field`], which
//! knows where it is (`categories[1].cookies[0].duration`), so every error names its field.

use std::fmt;

/// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// Kept as written: the formats hold whole numbers only, read with [`Field::integer`].
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order; the parser refuses a key given twice.
    Object(Vec<(String, Json)>),
}

/// What is wrong, and where: `path` is empty for the document itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub path: String,
    pub message: String,
}

impl std::error::Error for JsonError {}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "`{}`: {}", self.path, self.message) }
    }
}

impl Json {
    /// An object from `(key, value)` pairs, in that order.
    pub fn object<'k>(members: impl IntoIterator<Item = (&'k str, Json)>) -> Json {
        Json::Object(members.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }

    /// An array of strings.
    pub fn strings<'s>(items: impl IntoIterator<Item = &'s String>) -> Json {
        Json::Array(items.into_iter().map(|item| Json::String(item.clone())).collect())
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// How an error message names a value: `string "yes"`, `a boolean`...
    fn describe(&self) -> String {
        match self {
            Json::Null => "null".to_string(),
            Json::Bool(value) => format!("boolean `{value}`"),
            Json::Number(text) => format!("number {text}"),
            Json::String(text) => format!("string \"{}\"", text.chars().take(40).collect::<String>()),
            Json::Array(_) => "an array".to_string(),
            Json::Object(_) => "an object".to_string(),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Compact JSON text.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write(&mut out);
        f.write_str(&out)
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Json {
        Json::String(text.to_string())
    }
}

impl From<String> for Json {
    fn from(text: String) -> Json {
        Json::String(text)
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Json {
        Json::Bool(value)
    }
}

impl From<i64> for Json {
    fn from(value: i64) -> Json {
        Json::Number(value.to_string())
    }
}

impl From<u32> for Json {
    fn from(value: u32) -> Json {
        Json::Number(value.to_string())
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                super::hex::push_lower(out, c as u8);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Parses JSON text; an error names the line and column.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(parser.fail("trailing characters"));
    }
    Ok(value)
}

struct Parser<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> JsonError {
        let before = &self.bytes[..self.at.min(self.bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        JsonError { path: String::new(), message: format!("{what} at line {line} column {column}") }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        match self.peek() {
            None => Err(self.fail("EOF while parsing a value")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, value) in [("null", Json::Null), ("true", Json::Bool(true)), ("false", Json::Bool(false))] {
                    if self.bytes[self.at..].starts_with(word.as_bytes()) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(self.fail("expected a value"))
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a key in quotes"));
            }
            let key = self.string()?;
            if members.iter().any(|(name, _)| *name == key) {
                return Err(self.fail(&format!("key `{key}` given twice")));
            }
            self.expect(b':', "expected `:`")?;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.fail("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.fail("expected `,` or `]`")),
            }
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        let digits = |parser: &mut Self| {
            let from = parser.at;
            while parser.bytes.get(parser.at).is_some_and(u8::is_ascii_digit) {
                parser.at += 1;
            }
            parser.at > from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let leading_zero = self.bytes.get(self.at) == Some(&b'0');
        if !digits(self) || (leading_zero && self.at - start > 1 + usize::from(self.bytes[start] == b'-')) {
            return Err(self.fail("invalid number"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.fail("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.fail("invalid number"));
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        Ok(Json::Number(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned()))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(&byte) = self.bytes.get(self.at) else { return Err(self.fail("EOF while parsing a string")) };
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.at) else { return Err(self.fail("EOF in an escape")) };
                    self.at += 1;
                    let unescaped = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.fail("invalid escape")),
                    };
                    let mut buffer = [0; 4];
                    out.extend_from_slice(unescaped.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1f => return Err(self.fail("control character in a string")),
                _ => out.push(byte),
            }
        }
        // The input is a &str and escapes were encoded as UTF-8, so this cannot fail.
        String::from_utf8(out).map_err(|_| self.fail("invalid UTF-8"))
    }

    /// After `\u`: four hex digits, and a second escape for a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(self.fail("lone surrogate in a string"));
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.fail("lone surrogate in a string"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.fail("lone surrogate in a string"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.fail("EOF in an escape"))?;
        let mut code = 0;
        for digit in digits {
            code = code * 16 + (*digit as char).to_digit(16).ok_or_else(|| self.fail("invalid escape"))?;
        }
        self.at += 4;
        Ok(code)
    }
}

/// A value and where it sits in its document, for reading it with errors that say where.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub value: &'a Json,
    path: String,
}

/// An object whose member names have been checked against the ones allowed.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    field: Field<'a>,
    members: &'a [(String, Json)],
}

impl<'a> Field<'a> {
    pub fn root(value: &'a Json) -> Field<'a> {
        Field { value, path: String::new() }
    }

    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError { path: self.path.clone(), message: message.into() }
    }

    fn child(&self, key: &str, value: &'a Json) -> Field<'a> {
        let path = if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) };
        Field { value, path }
    }

    fn expected(&self, what: &str) -> JsonError {
        self.error(format!("invalid type: {}, expected {what}", self.value.describe()))
    }

    pub fn str(&self) -> Result<&'a str, JsonError> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    /// The value of the name this string is in `names`; else an error saying it is not `what`
    /// (`"a role"`) and listing the names.
    pub fn one_of<T: Copy>(&self, names: &[(&str, T)], what: &str) -> Result<T, JsonError> {
        let name = self.str()?;
        names.iter().find(|(known, _)| *known == name).map(|(_, value)| *value).ok_or_else(|| {
            let known: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
            self.error(format!("`{name}` is not {what}: use one of {}", known.join(", ")))
        })
    }

    pub fn string(&self) -> Result<String, JsonError> {
        self.str().map(str::to_string)
    }

    pub fn bool(&self) -> Result<bool, JsonError> {
        match self.value {
            Json::Bool(value) => Ok(*value),
            _ => Err(self.expected("a boolean")),
        }
    }

    /// A whole number that fits `T`. Not `-0`, which serde_json (the server's reader) takes
    /// for a fraction.
    pub fn integer<T: TryFrom<i64>>(&self) -> Result<T, JsonError> {
        let Json::Number(text) = self.value else { return Err(self.expected("a whole number")) };
        text.parse::<i64>()
            .ok()
            .filter(|_| text != "-0")
            .and_then(|number| T::try_from(number).ok())
            .ok_or_else(|| self.error(format!("{text} is not a whole number in range")))
    }

    pub fn array(&self) -> Result<Vec<Field<'a>>, JsonError> {
        let Json::Array(items) = self.value else { return Err(self.expected("an array")) };
        Ok(items
            .iter()
            .enumerate()
            .map(|(index, value)| Field { value, path: format!("{}[{index}]", self.path) })
            .collect())
    }

    /// Each item of an array, read by `read`.
    pub fn list<T>(&self, read: impl Fn(&Field<'a>) -> Result<T, JsonError>) -> Result<Vec<T>, JsonError> {
        self.array()?.iter().map(read).collect()
    }

    /// An object with these member names only: another name is an error at its own path.
    pub fn object(&self, allowed: &[&str]) -> Result<Members<'a>, JsonError> {
        let Json::Object(members) = self.value else { return Err(self.expected("an object")) };
        if let Some((name, value)) = members.iter().find(|(name, _)| !allowed.contains(&name.as_str())) {
            let expected: Vec<String> = allowed.iter().map(|name| format!("`{name}`")).collect();
            return Err(self
                .child(name, value)
                .error(format!("unknown field `{name}`, expected one of {}", expected.join(", "))));
        }
        Ok(Members { field: self.clone(), members })
    }

    /// An object whose member names are data (languages, categories, text keys).
    pub fn entries(&self) -> Result<Vec<(&'a str, Field<'a>)>, JsonError> {
        let Json::Object(members) = self.value else { return Err(self.expected("an object")) };
        Ok(members.iter().map(|(name, value)| (name.as_str(), self.child(name, value))).collect())
    }
}

impl<'a> Members<'a> {
    /// A member that must be there.
    pub fn required(&self, name: &str) -> Result<Field<'a>, JsonError> {
        self.optional(name).ok_or_else(|| self.field.error(format!("missing field `{name}`")))
    }

    /// A member that may be missing; `null` counts as missing.
    pub fn optional(&self, name: &str) -> Option<Field<'a>> {
        self.members
            .iter()
            .find(|(key, value)| key == name && *value != Json::Null)
            .map(|(key, value)| self.field.child(key, value))
    }

    /// An optional member, read by `read`.
    pub fn read<T>(
        &self,
        name: &str,
        read: impl FnOnce(&Field<'a>) -> Result<T, JsonError>,
    ) -> Result<Option<T>, JsonError> {
        self.optional(name).map(|field| read(&field)).transpose()
    }
}

#[cfg(test)]
mod tests;
