//! The in-memory form of a metadata XML file: a tree of elements, each holding text or child
//! elements, in the order they should be written. Both the generator and the reader produce it;
//! `canonical` orders it and `emit` writes it.
//!
//! Comments are not metadata (Salesforce drops them on deploy), but a file in git is also a person's
//! work, so the reader keeps them: a comment travels with the element that follows it, comments
//! after the last element of a parent stay at its end, and comments outside the root go before it.
//!
//! The tree is generic over how it holds its text (`S`): `String` (the default, what every
//! generator builds and most callers hold), or `Cow<str>` borrowing from the buffer a file was read
//! into (`Borrowed`, what `read::Prepared::parse` gives `fmt` and `diff`: no allocation per name or
//! value, only where an entity had to be replaced).

use std::borrow::Cow;

use serde::Serialize;

/// The metadata namespace every PermissionSet, Profile and package.xml root carries.
pub(crate) const METADATA_NS: &str = "http://soap.sforce.com/2006/04/metadata";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document<S = String> {
    /// `PermissionSet`, `Profile`, `Package`, …
    pub root: S,
    /// Whether the root carries the metadata namespace (every file but the child files of a set
    /// the sf CLI decomposes with `decomposePermissionSetBeta2`).
    #[serde(skip)]
    pub in_metadata_namespace: bool,
    /// Attributes of the root besides the default namespace (e.g. `xmlns:xsi`), in file order.
    pub root_attrs: Vec<(S, S)>,
    /// Comments outside the root element (written before it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<S>,
    pub children: Vec<Node<S>>,
    /// Comments after the last child of the root.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<S>,
}

/// A document that borrows its names and values from the text it was read from.
pub(crate) type Borrowed<'a> = Document<Cow<'a, str>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node<S = String> {
    pub name: S,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(S, S)>,
    /// Comments just before the element (inside a leaf's value too), verbatim.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<S>,
    #[serde(flatten)]
    pub content: Content<S>,
    /// Comments after the element's last child.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<S>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Content<S = String> {
    /// Unescaped text (`&apos;` already turned into `'`).
    Text(S),
    Children(Vec<Node<S>>),
}

impl Document {
    pub fn new(root: &str) -> Document {
        Document {
            root: root.to_string(),
            in_metadata_namespace: true,
            root_attrs: Vec::new(),
            comments: Vec::new(),
            children: Vec::new(),
            tail: Vec::new(),
        }
    }

    /// Appends `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: impl Into<String>) {
        self.children.push(Node::leaf(name, text));
    }

    /// Appends `<name>` with `(child, text)` leaves in the given order.
    pub fn entry(&mut self, name: &str, fields: &[(&str, &str)]) {
        self.children.push(Node::entry(name, fields));
    }
}

impl Node {
    pub fn leaf(name: &str, text: impl Into<String>) -> Node {
        Node::new(name, Content::Text(text.into()))
    }

    /// An element with no attributes or comments.
    pub fn new(name: &str, content: Content) -> Node {
        Node::new_owned(name.to_string(), content)
    }

    /// `new` with a name already owned.
    pub(crate) fn new_owned(name: String, content: Content) -> Node {
        Node { name, attrs: Vec::new(), comments: Vec::new(), content, tail: Vec::new() }
    }

    pub fn entry(name: &str, fields: &[(&str, &str)]) -> Node {
        let children = fields.iter().map(|(n, v)| Node::leaf(n, *v)).collect();
        Node::new(name, Content::Children(children))
    }
}

impl<S: AsRef<str>> Node<S> {
    /// The element's name.
    pub fn name(&self) -> &str {
        self.name.as_ref()
    }

    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t.as_ref()),
            Content::Children(_) => None,
        }
    }

    pub fn children(&self) -> &[Node<S>] {
        match &self.content {
            Content::Children(c) => c,
            Content::Text(_) => &[],
        }
    }

    /// The text of the first child called `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.children().iter().find(|c| c.name.as_ref() == name).and_then(Node::text)
    }
}

impl Node<Cow<'_, str>> {
    /// The same element owning its text. Recurses once per level: only for trees the reader
    /// made, which nest at most `read::MAX_DEPTH` deep.
    pub fn into_owned(self) -> Node {
        let content = match self.content {
            Content::Text(text) => Content::Text(text.into_owned()),
            Content::Children(children) => Content::Children(children.into_iter().map(Node::into_owned).collect()),
        };
        Node {
            name: self.name.into_owned(),
            attrs: owned_pairs(self.attrs),
            comments: owned_all(self.comments),
            content,
            tail: owned_all(self.tail),
        }
    }
}

impl Document<Cow<'_, str>> {
    /// The same document owning its text (see `Node::into_owned`).
    pub fn into_owned(self) -> Document {
        Document {
            root: self.root.into_owned(),
            in_metadata_namespace: self.in_metadata_namespace,
            root_attrs: owned_pairs(self.root_attrs),
            comments: owned_all(self.comments),
            children: self.children.into_iter().map(Node::into_owned).collect(),
            tail: owned_all(self.tail),
        }
    }
}

fn owned_all(texts: Vec<Cow<'_, str>>) -> Vec<String> {
    texts.into_iter().map(Cow::into_owned).collect()
}

fn owned_pairs(pairs: Vec<(Cow<'_, str>, Cow<'_, str>)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}
