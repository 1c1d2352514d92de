package config

// Policy holds the rules that turn scan findings and recipients into
// decisions. Its schema and validation are owned by the policy work
// (issue 5) and grow here.
type Policy struct {
	Rules []Rule `yaml:"rules"`
}

// Rule is one policy rule.
type Rule struct {
	Name string `yaml:"name"`
}

func (c *Config) validatePolicy(bad func(key, msg string)) {
	for i, r := range c.Policy.Rules {
		if r.Name == "" {
			bad(indexKey("policy.rules", i)+".name", "required")
		}
	}
}
