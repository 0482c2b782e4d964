// Package v1 holds the Kubernetes core types the oracle's probe data needs (ObjectMeta, Secret), reduced to
// the fields probe templates use.
package v1

// ObjectMeta is the metadata every object embeds.
type ObjectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// Secret carries decoded secret data in StringData.
type Secret struct {
	ObjectMeta `json:"metadata"`
	Type       string            `json:"type"`
	StringData map[string]string `json:"stringData"`
}
