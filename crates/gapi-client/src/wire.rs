//! A request exactly as it goes on the wire: what the transport sends and a batch part
//! carries, after the long-GET override. A module of its own, below both the method call that
//! makes one and the transport that sends it.

use http::Method;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use crate::error::Error;

/// The longest URL sent as is: a GET whose URL would be longer goes as a POST with
/// `X-HTTP-Method-Override: GET` and the query in a form body, as Google's client libraries
/// do (Google's front end rejects longer URLs).
pub const MAX_URL_LENGTH: usize = 2048;

/// A request exactly as it goes on the wire (after the long-GET override).
#[derive(Debug, Clone)]
pub struct WireRequest {
    /// The HTTP method sent (POST for an overridden GET).
    pub method: Method,
    /// The URL sent (without the query for an overridden GET).
    pub url: url::Url,
    /// The request's own headers (the override and the form content type included).
    pub headers: HeaderMap,
    /// The body bytes, if any.
    pub body: Option<bytes::Bytes>,
}

impl WireRequest {
    /// The wire form of a JSON request: a GET whose URL passes [`MAX_URL_LENGTH`] becomes a
    /// POST to the URL without its query, with `X-HTTP-Method-Override: GET` and the query as
    /// an `application/x-www-form-urlencoded` body. Anything else is sent as given.
    pub fn for_json(
        method: &Method,
        url: &url::Url,
        headers: &HeaderMap,
        body: Option<&Value>,
    ) -> Result<WireRequest, Error> {
        let mut headers = headers.clone();
        if *method == Method::GET && url.as_str().len() > MAX_URL_LENGTH {
            let mut url = url.clone();
            let query = url.query().unwrap_or("").to_string();
            url.set_query(None);
            headers.insert(
                HeaderName::from_static("x-http-method-override"),
                HeaderValue::from_static("GET"),
            );
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            return Ok(WireRequest {
                method: Method::POST,
                url,
                headers,
                body: Some(bytes::Bytes::from(query)),
            });
        }
        let body = match body {
            Some(b) => Some(bytes::Bytes::from(serde_json::to_vec(b)?)),
            None => None,
        };
        Ok(WireRequest {
            method: method.clone(),
            url: url.clone(),
            headers,
            body,
        })
    }
}
