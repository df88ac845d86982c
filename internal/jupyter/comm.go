package jupyter

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Comm is the content of a comm_open, comm_msg or comm_close message.
type Comm struct {
	CommID     string         `json:"comm_id"`
	TargetName string         `json:"target_name,omitempty"`
	Data       map[string]any `json:"data"`
}

// Comm decodes the content of a comm_open, comm_msg or comm_close message.
func (m *Message) Comm() (Comm, error) {
	var cm Comm
	err := m.DecodeContent(&cm)
	return cm, err
}

// CommOpen opens a comm to the kernel's target and returns its new comm id. Comms have no
// reply: a kernel without the target answers with a comm_close on IOPub (see OnComm).
func (c *Client) CommOpen(ctx context.Context, target string, data map[string]any) (string, error) {
	id := newUUID()
	return id, c.sendComm(ctx, "comm_open", Comm{CommID: id, TargetName: target, Data: data}, nil)
}

// CommMsg sends data on an open comm.
func (c *Client) CommMsg(ctx context.Context, commID string, data map[string]any) error {
	return c.sendComm(ctx, "comm_msg", Comm{CommID: commID, Data: data}, nil)
}

// CommClose closes a comm.
func (c *Client) CommClose(ctx context.Context, commID string, data map[string]any) error {
	return c.sendComm(ctx, "comm_close", Comm{CommID: commID, Data: data}, nil)
}

// sendComm sends a comm message on shell; extra fields are merged into the content.
func (c *Client) sendComm(ctx context.Context, msgType string, cm Comm, extra map[string]any) error {
	if cm.Data == nil {
		cm.Data = map[string]any{}
	}
	var content any = cm
	if extra != nil {
		raw, err := json.Marshal(cm)
		if err != nil {
			return err
		}
		merged := map[string]any{}
		if err := json.Unmarshal(raw, &merged); err != nil {
			return err
		}
		for k, v := range extra {
			merged[k] = v
		}
		content = merged
	}
	m, err := newMessage(c.session, c.opts.Username, msgType, content)
	if err != nil {
		return err
	}
	return c.send(ctx, Shell, m)
}

// GoNB's front-end protocol, as its websocket.js speaks it: the kernel publishes a script under a
// transient display id starting with gonbInstallPrefix; the browser opens the "gonb_comm" comm
// (with the kernel id), the kernel acknowledges on #comm_open_ack and later pings on
// #heartbeat/ping, which the browser answers on #heartbeat/pong.
const (
	gonbInstallPrefix = "gonb_websocket_"
	gonbTarget        = "gonb_comm"
	gonbPing          = "#heartbeat/ping"
	gonbPong          = "#heartbeat/pong"
)

// answerGoNBInstall opens the gonb_comm comm when the kernel publishes its installer script.
func (c *Client) answerGoNBInstall(m *Message) {
	var dd struct {
		Data      map[string]any `json:"data"`
		Transient struct {
			DisplayID string `json:"display_id"`
		} `json:"transient"`
	}
	if m.DecodeContent(&dd) != nil || !strings.HasPrefix(dd.Transient.DisplayID, gonbInstallPrefix) {
		return
	}
	html, _ := dd.Data["text/html"].(string)
	if !strings.Contains(html, gonbTarget) {
		return // the kernel erasing its script after the comm opened
	}
	id := newUUID()
	c.mu.Lock()
	c.gonbInstalls++
	var delay time.Duration
	if c.opts.GoNBAnswerDelay != nil {
		delay = c.opts.GoNBAnswerDelay(c.gonbInstalls)
	}
	c.mu.Unlock()
	go func() {
		if delay > 0 {
			time.Sleep(delay) // a slow page, on purpose (GoNBAnswerDelay)
		}
		c.mu.Lock()
		c.gonbComm = id
		c.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.sendComm(ctx, "comm_open", Comm{CommID: id, TargetName: gonbTarget},
			map[string]any{"kernel_id": c.opts.KernelID})
	}()
}

// answerGoNBComm answers GoNB's comm pings on the comm this client opened.
func (c *Client) answerGoNBComm(m *Message) {
	if m.Type() != "comm_msg" {
		return
	}
	cm, err := m.Comm()
	if err != nil {
		return
	}
	c.mu.Lock()
	ours := cm.CommID != "" && cm.CommID == c.gonbComm
	c.mu.Unlock()
	if !ours || cm.Data["address"] != gonbPing {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.CommMsg(ctx, cm.CommID, map[string]any{"address": gonbPong, "value": true})
	}()
}
