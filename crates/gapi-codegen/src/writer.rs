//! A small code writer that lays lines out the way rustfmt (default settings, edition 2024)
//! does for the few shapes generated code has, so the output needs no formatter: a line that
//! would pass 100 columns is broken where rustfmt breaks it.

/// rustfmt's default `max_width`.
pub const MAX_WIDTH: usize = 100;

/// Text being written, line by line, with an indentation level.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    indent: usize,
}

impl Writer {
    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }

    fn pad(&self) -> String {
        " ".repeat(self.indent * 4)
    }

    /// The columns left after the indentation.
    pub fn room(&self) -> usize {
        MAX_WIDTH.saturating_sub(self.indent * 4)
    }

    /// One line at the current indentation (an empty `text` writes an empty line).
    pub fn line(&mut self, text: &str) {
        if !text.is_empty() {
            self.out.push_str(&self.pad());
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// Opens a block: writes `text` (ending in `{`) and indents.
    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.indent += 1;
    }

    /// Closes a block with `text` (`}`, `};`, `}`+`,`).
    pub fn close(&mut self, text: &str) {
        self.indent -= 1;
        self.line(text);
    }

    /// Doc comment lines for `text` (nothing for an empty one).
    pub fn doc(&mut self, text: &str) {
        let width = self.room().saturating_sub(4).max(40);
        for l in crate::docs::doc_lines(text, width) {
            if l.is_empty() {
                self.line("///");
            } else {
                self.line(&format!("/// {l}"));
            }
        }
    }

    /// `let {name} = {recv}.{method}({args});` laid out as rustfmt does: on one line, else
    /// (one argument) with the call on the next line, else one argument per line.
    pub fn let_call(&mut self, name: &str, recv: &str, method: &str, args: &[String]) {
        let call = format!("{recv}.{method}({})", args.join(", "));
        let one = format!("let {name} = {call};");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        if args.len() == 1 && call.len() < self.room().saturating_sub(4) {
            self.line(&format!("let {name} ="));
            self.indent += 1;
            self.line(&format!("{call};"));
            self.indent -= 1;
            return;
        }
        let tail = format!(".{method}({});", args.join(", "));
        if args.len() == 1 && tail.len() <= self.room().saturating_sub(4) {
            self.line(&format!("let {name} = {recv}"));
            self.indent += 1;
            self.line(&tail);
            self.indent -= 1;
            return;
        }
        self.open(&format!("let {name} = {recv}.{method}("));
        for a in args {
            self.line(&format!("{a},"));
        }
        self.close(");");
    }

    /// `{head} {tail}` (`pub const X: &str = "...";`), the tail on the next line when the
    /// whole does not fit.
    pub fn let_like(&mut self, head: &str, tail: &str) {
        let one = format!("{head} {tail}");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        self.line(head);
        self.indent += 1;
        self.line(tail);
        self.indent -= 1;
    }

    /// A function signature ending in `{`: on one line, else one parameter per line.
    pub fn fn_open(&mut self, head: &str, params: &[String], ret: &str) {
        let ret = if ret.is_empty() {
            String::new()
        } else {
            format!(" -> {ret}")
        };
        let one = format!("{head}({}){ret} {{", params.join(", "));
        if one.len() <= self.room() {
            return self.open(&one);
        }
        self.open(&format!("{head}("));
        for p in params {
            self.generic("", p, ",", false);
        }
        self.indent -= 1;
        // rustfmt keeps the brace on the return type's line only when that line would fit
        // with its indentation counted twice; a return type too long for its line has its
        // generic arguments on lines of their own.
        let last = format!("){ret} {{");
        if last.len() + 2 * self.indent * 4 <= MAX_WIDTH {
            self.open(&last);
        } else if format!("){ret}").len() + self.indent * 4 <= MAX_WIDTH + 2 || !ret.contains('<') {
            self.line(&format!("){ret}"));
            self.open("{");
        } else {
            self.generic(") -> ", ret.trim_start_matches(" -> "), " {", true);
            self.indent += 1;
        }
    }

    /// An item's head and its opening brace (`pub struct X {`), the brace on a line of its
    /// own when the head fills the line.
    pub fn item_open(&mut self, head: &str) {
        // Measured, as rustfmt does, without the indentation.
        let one = format!("{head} {{");
        if one.len() <= MAX_WIDTH {
            return self.open(&one);
        }
        self.line(head);
        self.open("{");
    }

    /// An inherent impl's head (`impl X {`), measured as rustfmt does (without indentation).
    pub fn impl_self_open(&mut self, ty: &str) {
        let one = format!("impl {ty} {{");
        if one.len() <= MAX_WIDTH {
            return self.open(&one);
        }
        self.line(&format!("impl {ty}"));
        self.open("{");
    }

    /// A match arm `pat => expr,`, or in a block when it does not fit.
    pub fn arm(&mut self, pat: &str, expr: &str) {
        let one = format!("{pat} => {expr},");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        self.open(&format!("{pat} => {{"));
        self.line(expr);
        self.close("}");
    }

    /// An attribute `#[{name}({inner})]`, broken over lines when it does not fit.
    pub fn attr(&mut self, name: &str, inner: &str) {
        let one = format!("#[{name}({inner})]");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        self.open(&format!("#[{name}("));
        self.line(inner);
        self.close(")]");
    }

    /// A struct field `{vis}{name}: {ty},`, the type on the next line when it does not fit,
    /// else its generic arguments on lines of their own.
    pub fn field(&mut self, vis: &str, name: &str, ty: &str) {
        let one = format!("{vis}{name}: {ty},");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        if ty.len() < self.room().saturating_sub(4) {
            self.line(&format!("{vis}{name}:"));
            self.indent += 1;
            self.line(&format!("{ty},"));
            self.indent -= 1;
            return;
        }
        self.generic(&format!("{vis}{name}: "), ty, ",", true);
    }

    /// `{lead}{ty}{trail}` with `ty`'s generic arguments one per line, recursively, as
    /// rustfmt lays out a type too long for its line.
    /// `count_trail`: whether the trailing text counts against the width (a parameter's
    /// comma does not).
    fn generic(&mut self, lead: &str, ty: &str, trail: &str, count_trail: bool) {
        let one = format!("{lead}{ty}{trail}");
        let width = if count_trail {
            one.len()
        } else {
            one.len() - trail.len()
        };
        let Some((outer, inner)) = ty.split_once('<') else {
            return self.line(&one);
        };
        if width <= self.room() || !inner.ends_with('>') {
            return self.line(&one);
        }
        self.open(&format!("{lead}{outer}<"));
        for arg in split_args(&inner[..inner.len() - 1]) {
            self.generic("", arg, ",", count_trail);
        }
        self.close(&format!(">{trail}"));
    }

    /// A struct literal `{ty} { {field} }`, vertical when it does not fit.
    pub fn struct_lit(&mut self, ty: &str, field: &str) {
        let one = format!("{ty} {{ {field} }}");
        if one.len() <= self.room() {
            return self.line(&one);
        }
        self.open(&format!("{ty} {{"));
        self.line(&format!("{field},"));
        self.close("}");
    }

    /// An impl block's head `{head} for {ty} {`, `for` on a line of its own when it does not fit.
    pub fn impl_open(&mut self, head: &str, ty: &str) {
        // rustfmt measures an impl header without its indentation.
        let one = format!("{head} for {ty} {{");
        if one.len() <= MAX_WIDTH {
            return self.open(&one);
        }
        self.line(head);
        self.indent += 1;
        self.line(&format!("for {ty}"));
        self.indent -= 1;
        self.open("{");
    }
}

/// The top-level arguments of a generic list (`String, Vec<A<B, C>>` → two).
fn split_args(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in list.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(list[start..].trim());
    out
}

/// A Rust string literal for `s`: quoted and escaped.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}
