//! The in-memory form of a metadata XML file: a tree of elements, each holding text or child
//! elements, in the order they should be written. Both the generator and the reader produce it;
//! `canonical` orders it and `emit` writes it.
//!
//! Comments are not metadata (Salesforce drops them on deploy), but a file in git is also a person's
//! work, so the reader keeps them: a comment travels with the element that follows it, comments
//! after the last element of a parent stay at its end, and comments outside the root go before it.

use serde::Serialize;

/// The metadata namespace every PermissionSet, Profile and package.xml root carries.
pub const METADATA_NS: &str = "http://soap.sforce.com/2006/04/metadata";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// `PermissionSet`, `Profile`, `Package`, …
    pub root: String,
    /// Whether the root carries the metadata namespace (every file but the child files of a set
    /// the sf CLI decomposes with `decomposePermissionSetBeta2`).
    #[serde(skip)]
    pub in_metadata_namespace: bool,
    /// Attributes of the root besides the default namespace (e.g. `xmlns:xsi`), in file order.
    pub root_attrs: Vec<(String, String)>,
    /// Comments outside the root element (written before it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    pub children: Vec<Node>,
    /// Comments after the last child of the root.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// Comments just before the element (inside a leaf's value too), verbatim.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    #[serde(flatten)]
    pub content: Content,
    /// Comments after the element's last child.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tail: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    /// Unescaped text (`&apos;` already turned into `'`).
    Text(String),
    Children(Vec<Node>),
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
    pub fn new_owned(name: String, content: Content) -> Node {
        Node { name, attrs: Vec::new(), comments: Vec::new(), content, tail: Vec::new() }
    }

    pub fn entry(name: &str, fields: &[(&str, &str)]) -> Node {
        let children = fields.iter().map(|(n, v)| Node::leaf(n, *v)).collect();
        Node::new(name, Content::Children(children))
    }

    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Children(_) => None,
        }
    }

    pub fn children(&self) -> &[Node] {
        match &self.content {
            Content::Children(c) => c,
            Content::Text(_) => &[],
        }
    }

    /// The text of the first child called `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.children().iter().find(|c| c.name == name).and_then(Node::text)
    }
}
