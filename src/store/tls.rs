//! How a connection to PostgreSQL is secured: libpq's `sslmode` and
//! `sslrootcert`, read from the URL, and rustls doing the TLS.
//!
//! The driver knows only `disable`, `prefer` and `require`, and checks no
//! certificate itself: it is given the URL with `sslmode` put in its terms
//! and `sslrootcert` taken out, and a rustls configuration that makes the
//! checks the mode asks for. rustls, with ring's cryptography, is Rust
//! through and through, and tokio-postgres-rustls is the long-kept bridge to
//! the driver (the sync `postgres` crate takes the same connector).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{VerifierBuilderError, WebPkiServerVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`, as gavel keeps it (`allow` aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<SslMode, String> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            "allow" => {
                return Err(
                    "sslmode=allow is not supported (it tries without TLS first): use \
                            prefer, require, verify-ca or verify-full"
                        .into(),
                );
            }
            other => {
                return Err(format!(
                    "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// The mode in the driver's terms: it only needs to know whether TLS is
    /// asked for; the checks are the rustls configuration's.
    fn driver(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            _ => "require",
        }
    }
}

/// The CAs a server's certificate is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// None given and libpq's default file absent: nothing to check with.
    Unset,
    /// A PEM file of one or more CA certificates (`sslrootcert=/path`, or
    /// libpq's default `~/.postgresql/root.crt`).
    File(PathBuf),
    /// The system's trusted CAs (`sslrootcert=system`).
    System,
}

/// How TLS is used for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub mode: SslMode,
    pub roots: Roots,
}

/// What the checks are, from the mode and the CAs given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Encrypted, but the server is not known to be the one meant.
    Nothing,
    /// Signed by one of the CAs, for any host name.
    Chain,
    /// Signed by one of the CAs and issued for the host connected to.
    ChainAndName,
}

impl Tls {
    fn check(&self) -> Check {
        match (self.mode, &self.roots) {
            (SslMode::VerifyFull, _) => Check::ChainAndName,
            (SslMode::VerifyCa, _) => Check::Chain,
            // As libpq: a CA file given is used, checking as verify-ca.
            (SslMode::Prefer | SslMode::Require, Roots::File(_)) => Check::Chain,
            _ => Check::Nothing,
        }
    }

    /// The connector for the driver; `None` when TLS is not to be used.
    pub fn connector(&self) -> Result<Option<MakeRustlsConnect>, String> {
        if self.mode == SslMode::Disable {
            return Ok(None);
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let algorithms = provider.signature_verification_algorithms;
        let verifier: Arc<dyn ServerCertVerifier> = match self.check() {
            Check::Nothing => Arc::new(Unchecked(algorithms)),
            Check::Chain => Arc::new(AnyName(self.webpki(&provider)?)),
            Check::ChainAndName => self.webpki(&provider)?,
        };
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS cannot be set up: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // What PostgreSQL 17 asks of a direct TLS connection; others ignore it.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        Ok(Some(MakeRustlsConnect::new(config)))
    }

    fn webpki(&self, provider: &Arc<CryptoProvider>) -> Result<Arc<WebPkiServerVerifier>, String> {
        let roots = Arc::new(self.root_store()?);
        WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|e| match e {
                VerifierBuilderError::NoRootAnchors => {
                    format!("{} holds no CA", self.roots_shown())
                }
                other => format!("TLS cannot be set up: {other}"),
            })
    }

    fn root_store(&self) -> Result<RootCertStore, String> {
        let mut store = RootCertStore::empty();
        let certs = match &self.roots {
            Roots::Unset => return Err(self.no_roots()),
            Roots::File(path) => read_pem(path)?,
            Roots::System => rustls_native_certs::load_native_certs().certs,
        };
        let (added, _) = store.add_parsable_certificates(certs);
        if added == 0 {
            return Err(format!(
                "{} holds no CA certificate gavel can use",
                self.roots_shown()
            ));
        }
        Ok(store)
    }

    fn no_roots(&self) -> String {
        format!(
            "sslmode={} checks the server's certificate against a CA: give sslrootcert=/path/to/ca.pem \
             (the CA that signed it), or sslrootcert=system for the system's trusted CAs \
             (~/.postgresql/root.crt, libpq's default, is not there)",
            self.mode.name()
        )
    }

    /// The CAs, as the officer named them.
    fn roots_shown(&self) -> String {
        match &self.roots {
            Roots::Unset => "no CA".into(),
            Roots::File(path) => format!("sslrootcert {}", path.display()),
            Roots::System => "the system's trusted CAs (sslrootcert=system)".into(),
        }
    }

    /// A connection refused for want of TLS or over the server's
    /// certificate, in words that say what failed; `None` for anything else.
    pub fn explain(&self, e: &postgres::Error) -> Option<String> {
        let mode = self.mode.name();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if s.to_string() == "server does not support TLS" {
                return Some(format!(
                    "the server does not offer TLS (its `ssl` setting is off), and sslmode={mode} \
                     asks for it"
                ));
            }
            let tls = s
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            if let Some(tls) = tls {
                return Some(format!("TLS (sslmode={mode}): {}", self.refused(tls)));
            }
            source = s.source();
        }
        None
    }

    fn refused(&self, e: &rustls::Error) -> String {
        let rustls::Error::InvalidCertificate(why) = e else {
            return format!("the TLS handshake failed: {e}");
        };
        match why {
            CertificateError::UnknownIssuer => format!(
                "the server's certificate is not signed by a CA of {}",
                self.roots_shown()
            ),
            CertificateError::NotValidForNameContext {
                expected,
                presented,
            } => format!(
                "the server's certificate is not for the host {} (it is for {}); connect by a \
                 name it has, or use sslmode=verify-ca to check the CA only",
                host_shown(expected),
                if presented.is_empty() {
                    "no host name".into()
                } else {
                    presented
                        .iter()
                        .map(|p| bare(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
            CertificateError::NotValidForName => {
                "the server's certificate is not for the host connected to".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the server's certificate has expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (is this host's clock right?)".into()
            }
            other => format!("the server's certificate was refused ({other:?})"),
        }
    }
}

/// The URL with gavel's TLS options taken out and `sslmode` put in the
/// driver's terms, and the TLS they ask for. Other options are left as
/// written for the driver to read.
pub fn split(url: &str) -> Result<(String, Tls), String> {
    if !url.contains("://") {
        // A `key=value` string: the driver reads it all, TLS as it says.
        return Ok((url.to_string(), tls_of(None, None)?));
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = None;
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match decode(key).as_str() {
            "sslmode" => mode = Some(SslMode::parse(&decode(value))?),
            "sslrootcert" => root = Some(decode(value)),
            key @ ("sslcert"
            | "sslkey"
            | "sslpassword"
            | "sslcrl"
            | "sslcrldir"
            | "sslsni"
            | "sslcertmode"
            | "ssl_min_protocol_version"
            | "ssl_max_protocol_version") => {
                return Err(format!(
                    "{key} is not supported: of libpq's TLS options gavel takes sslmode and \
                     sslrootcert (the server's certificate is checked; clients are not given one)"
                ));
            }
            _ => kept.push(pair),
        }
    }
    let tls = tls_of(mode, root)?;
    kept.push(match tls.mode.driver() {
        "disable" => "sslmode=disable",
        "prefer" => "sslmode=prefer",
        _ => "sslmode=require",
    });
    Ok((format!("{base}?{}", kept.join("&")), tls))
}

/// The mode and CAs as libpq reads them: `prefer` by default;
/// `sslrootcert=system` asks for `verify-full` and takes nothing weaker;
/// no `sslrootcert`, `~/.postgresql/root.crt` if it is there.
fn tls_of(mode: Option<SslMode>, root: Option<String>) -> Result<Tls, String> {
    let roots = match root.as_deref() {
        Some("system") => Roots::System,
        Some(path) => Roots::File(PathBuf::from(path)),
        None => default_root().map_or(Roots::Unset, Roots::File),
    };
    let mode = match (mode, &roots) {
        (None, Roots::System) => SslMode::VerifyFull,
        (Some(weak), Roots::System) if weak != SslMode::VerifyFull => {
            return Err(format!(
                "sslmode={} may not be used with sslrootcert=system: use sslmode=verify-full \
                 (the system's CAs vouch for a host name, which only verify-full checks)",
                weak.name()
            ));
        }
        (mode, _) => mode.unwrap_or(SslMode::Prefer),
    };
    Ok(Tls { mode, roots })
}

/// libpq's default CA file, when it is there.
fn default_root() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let path = Path::new(&home).join(".postgresql/root.crt");
    path.is_file().then_some(path)
}

fn read_pem(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let text = std::fs::read(path).map_err(|e| format!("cannot read sslrootcert {shown}: {e}"))?;
    CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("sslrootcert {shown} is not a PEM file of certificates: {e}"))
}

fn host_shown(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(dns) => dns.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

/// A name as rustls gives it (`DnsName("db.example")`), as the officer writes it.
fn bare(presented: &str) -> &str {
    presented
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .map_or(presented, |inner| inner.trim_matches('"'))
}

/// `%2F` and the like, as the driver reads a URL's options.
pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `prefer` and `require` without a CA: the handshake's signatures are
/// checked, the certificate is not.
#[derive(Debug)]
struct Unchecked(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// `verify-ca`: the chain to a CA given is checked, the host name is not.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The chain is checked before the name: a name error means the chain held.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_ok(url: &str) -> (String, Tls) {
        split(url).unwrap()
    }

    #[test]
    fn the_driver_is_given_only_what_it_knows() {
        let (url, tls) = split_ok(
            "postgres://g@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
        );
        assert_eq!(url, "postgres://g@h/db?application_name=x&sslmode=require");
        assert_eq!(tls.mode, SslMode::VerifyFull);
        assert_eq!(tls.roots, Roots::File("/etc/ca.pem".into()));
        assert_eq!(tls.check(), Check::ChainAndName);
    }

    #[test]
    fn each_mode_checks_what_libpq_checks() {
        let check = |q: &str| split_ok(&format!("postgres://g@h/db?{q}")).1.check();
        assert_eq!(check("sslmode=verify-ca&sslrootcert=/ca"), Check::Chain);
        assert_eq!(check("sslmode=require&sslrootcert=/ca"), Check::Chain);
        assert_eq!(check("sslrootcert=system"), Check::ChainAndName);
        assert!(split("postgres://g@h/db?sslmode=require&sslrootcert=system").is_err());
        assert!(split("postgres://g@h/db?sslmode=allow").is_err());
        assert!(split("postgres://g@h/db?sslkey=/k").is_err());
    }

    #[test]
    fn a_check_without_a_ca_is_refused_saying_how_to_give_one() {
        let tls = Tls {
            mode: SslMode::VerifyFull,
            roots: Roots::Unset,
        };
        let why = tls.connector().err().unwrap();
        assert!(why.contains("sslrootcert=/path/to/ca.pem"), "{why}");
    }

    #[test]
    fn the_default_is_prefer() {
        let (url, tls) = split_ok("postgres://g@h/db");
        assert_eq!(url, "postgres://g@h/db?sslmode=prefer");
        assert_eq!(tls.mode, SslMode::Prefer);
    }
}
