// The SDK warns on every run that versions published after January 2027 need Node.js 22; the tests run on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
