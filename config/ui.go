package config

// UI configures the approvals web UI. Its schema and validation are owned
// by the approvals UI work (issue 6) and grow here.
type UI struct {
	// Listen is the HTTPS address, e.g. 127.0.0.1:8443; empty disables the UI.
	Listen string `yaml:"listen"`
	// BaseURL is the address people open, used in notice mails.
	BaseURL string `yaml:"base_url"`
}

func (c *Config) validateUI(bad func(key, msg string)) {
	if c.UI.Listen != "" && !validHostPort(c.UI.Listen) {
		bad("ui.listen", "must be host:port, e.g. 127.0.0.1:8443")
	}
}
