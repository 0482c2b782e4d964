// Package v1alpha1 mirrors the Connector type of connectors.alauda.io/v1alpha1 as probe templates see it.
package v1alpha1

import (
	"encoding/json"

	"connectorsoracle/v1"
)

// ParamValue is a tekton-style parameter value: a string, an array or an object.
type ParamValue struct {
	Type      string            `json:"type"`
	StringVal string            `json:"stringVal"`
	ArrayVal  []string          `json:"arrayVal"`
	ObjectVal map[string]string `json:"objectVal"`
}

// UnmarshalJSON accepts a plain string, array or object, as the Kubernetes API serialises it.
func (p *ParamValue) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*p = ParamValue{Type: "string", StringVal: s}
		return nil
	}
	var a []string
	if json.Unmarshal(b, &a) == nil {
		*p = ParamValue{Type: "array", ArrayVal: a}
		return nil
	}
	var o map[string]string
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*p = ParamValue{Type: "object", ObjectVal: o}
	return nil
}

// Param is one named parameter.
type Param struct {
	Name  string     `json:"name"`
	Value ParamValue `json:"value"`
}

// SecretRef names the Secret of a Connector.
type SecretRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// ConnectorAuth is spec.auth.
type ConnectorAuth struct {
	Name      string     `json:"name"`
	SecretRef *SecretRef `json:"secretRef"`
	Params    []Param    `json:"params"`
}

// ConnectorSpec is spec.
type ConnectorSpec struct {
	ConnectorClassName string        `json:"connectorClassName"`
	Address            string        `json:"address"`
	Auth               ConnectorAuth `json:"auth"`
	Params             []Param       `json:"params"`
}

// Connector is one tool instance.
type Connector struct {
	v1.ObjectMeta `json:"metadata"`
	Spec          ConnectorSpec `json:"spec"`
}
