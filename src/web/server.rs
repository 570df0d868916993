//! The routes and what every response carries: the headers that keep a
//! page to its own files, the token where one is asked for, no request
//! bodies, 404 for anything else.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::feed::Feed;
use super::page;
use super::token::Token;

/// Scripts and styles from this server's own files only, nothing inline,
/// nothing from elsewhere; the page may not be framed, nor post a form.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

pub struct Served {
    pub feeds: Vec<Arc<Feed>>,
    pub token: Option<Token>,
}

impl Served {
    fn feed(&self, id: &str) -> Option<&Arc<Feed>> {
        self.feeds.iter().find(|f| f.id == id)
    }
}

type Shared = Arc<Served>;

pub fn router(served: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/m/{id}", get(board))
        .route("/m/{id}/state.json", get(state_json))
        .route("/m/{id}/events", get(events))
        .route("/assets/board.js", get(script))
        .route("/assets/board.css", get(style))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&served), guard))
        .with_state(served)
}

/// Every response's headers, whatever answered; bodies refused; the token
/// checked for everything but the two asset files, which hold nothing of
/// any meeting's and which a browser loads without the page's query.
async fn guard(State(served): State<Shared>, request: Request, next: Next) -> Response {
    let mut response = if has_body(request.headers()) {
        plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "gavel serve takes no request bodies\n",
        )
    } else if !request.uri().path().starts_with("/assets/") && !allowed(&served, &request) {
        let mut r = plain(
            StatusCode::UNAUTHORIZED,
            "a token is needed: ?token=… or Authorization: Bearer …\n",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        r
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // The token may be in the address: it is never sent on as a referrer.
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// A body announced by length or by chunks: nothing served reads one.
fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0");
    length || headers.contains_key(header::TRANSFER_ENCODING)
}

fn allowed(served: &Served, request: &Request) -> bool {
    let Some(token) = &served.token else {
        return true;
    };
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let query = query_token(request.uri());
    bearer
        .into_iter()
        .chain(query.as_deref())
        .any(|t| token.matches(t))
}

fn query_token(uri: &axum::http::Uri) -> Option<String> {
    let query = axum::extract::Query::<HashMap<String, String>>::try_from_uri(uri).ok()?;
    query.0.get("token").cloned()
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

async fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "not found\n")
}

fn html(text: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], text).into_response()
}

async fn index(State(served): State<Shared>, request: Request) -> Response {
    let listed: Vec<page::Listed> = served
        .feeds
        .iter()
        .map(|f| page::Listed {
            id: &f.id,
            title: &f.title,
            venue: &f.venue,
            room: &f.room,
            date: f.date.clone(),
        })
        .collect();
    // A token that came in the address goes on in the links.
    let query = query_token(request.uri())
        .map(|t| format!("?token={}", page::path_segment(&t)))
        .unwrap_or_default();
    html(page::index(&listed, &query))
}

async fn board(State(served): State<Shared>, Path(id): Path<String>) -> Response {
    match served.feed(&id) {
        Some(feed) => html(page::board(&feed.title)),
        None => not_found().await,
    }
}

async fn state_json(State(served): State<Shared>, Path(id): Path<String>) -> Response {
    let Some(feed) = served.feed(&id) else {
        return not_found().await;
    };
    match feed.state_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the state could not be written\n",
        ),
    }
}

async fn events(
    State(served): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(feed) = served.feed(&id) else {
        return not_found().await;
    };
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = Body::from_stream(super::events::stream(Arc::clone(feed), last));
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", page::BOARD_JS)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", page::BOARD_CSS)
}

fn asset(kind: &'static str, text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
        .into_response()
}
