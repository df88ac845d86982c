// Package jupyter is a Jupyter kernel client: it starts a kernel from its kernelspec (or connects
// to a running one through its connection file) and talks the Jupyter messaging protocol to it
// over ZeroMQ, with no Jupyter server in between.
//
// Its one job is that conversation: signed messages on the shell, control, stdin, IOPub and
// heartbeat channels; executing code and streaming the execution's IOPub messages; interrupting;
// comm messages; shutting down; and noticing a dead kernel instead of waiting forever. Messages
// whose HMAC-SHA256 signature is missing or wrong are rejected, counted and never delivered.
//
// [Recorder] turns an execution's IOPub messages into nbformat outputs, the way a notebook front
// end keeps them (stream merging, update_display_data, clear_output).
//
// Protocol reference: https://jupyter-client.readthedocs.io/en/stable/messaging.html
package jupyter
