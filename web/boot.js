// Starts the app. A file rather than Trunk's inline script, so the page's Content-Security-Policy
// can forbid inline scripts (Trunk.toml: inject_scripts = false, filehash = false).
import init from './ml-provisioner-web.js';
init({ module_or_path: './ml-provisioner-web_bg.wasm' });
