"""The flows: the order of the steps. Every process that runs one of them imports this
package first, so it is where such a process's Prefect clients learn to share one TLS
context (``foerderflow.prefect_tls``)."""

from foerderflow.prefect_tls import share_tls_context

share_tls_context()
