package message

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cogito-dev/cogito/internal/storage"
)

// MaxOutboxLimit is the largest limit OutboxHandler accepts.
const MaxOutboxLimit = 1000

// OutboxMessage is one message as GET /_cogito/messages shows it.
// CreatedAt is RFC 3339 in UTC with fractional seconds (time.RFC3339Nano).
type OutboxMessage struct {
	ID             string `json:"id"`
	UserPoolID     string `json:"userPoolId"`
	Username       string `json:"username"`
	Destination    string `json:"destination"`
	DeliveryMedium string `json:"deliveryMedium"`
	Kind           string `json:"kind"`
	Subject        string `json:"subject"`
	Body           string `json:"body"`
	Code           string `json:"code"`
	CreatedAt      string `json:"createdAt"`
}

// OutboxResponse is the body of a successful GET /_cogito/messages.
type OutboxResponse struct {
	Messages []OutboxMessage `json:"messages"`
}

// outboxParams are the query parameters OutboxHandler understands.
var outboxParams = map[string]bool{"userPoolId": true, "username": true, "destination": true, "limit": true}

// OutboxHandler serves the outbox, to be mounted at GET /_cogito/messages:
//
//	GET /_cogito/messages?userPoolId=…&username=…&destination=…&limit=…
//
// Every parameter is optional and matched exactly; limit (1–MaxOutboxLimit)
// keeps the newest messages. The answer is {"messages":[…]} oldest first
// (newest last), each with createdAt in RFC 3339 UTC. An unknown, repeated
// or malformed parameter is a 400 {"message": "..."}. Since an unencoded
// "+" in a query reads as a space, a destination of a space and digits is
// taken as "+" and digits.
func OutboxHandler(store storage.MessageStore, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method not allowed; use GET."})
			return
		}
		f, msg := parseOutboxQuery(r)
		if msg != "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": msg})
			return
		}
		list, err := store.ListMessages(r.Context(), f)
		if err != nil {
			log.ErrorContext(r.Context(), "list outbox messages", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error."})
			return
		}
		out := OutboxResponse{Messages: make([]OutboxMessage, 0, len(list))}
		for _, m := range list {
			out.Messages = append(out.Messages, OutboxMessage{
				ID:             m.ID,
				UserPoolID:     m.PoolID,
				Username:       m.Username,
				Destination:    m.Destination,
				DeliveryMedium: m.DeliveryMedium,
				Kind:           m.Kind,
				Subject:        m.Subject,
				Body:           m.Body,
				Code:           m.Code,
				CreatedAt:      m.CreatedAt.UTC().Format(time.RFC3339Nano),
			})
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, out)
	})
}

func parseOutboxQuery(r *http.Request) (storage.MessageFilter, string) {
	var f storage.MessageFilter
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return f, "Malformed query string."
	}
	for k, v := range q {
		if !outboxParams[k] {
			return f, "Unknown parameter " + strconv.Quote(k) + "; known: userPoolId, username, destination, limit."
		}
		if len(v) > 1 {
			return f, "Parameter " + k + " given more than once."
		}
	}
	f.PoolID = first(q["userPoolId"])
	f.Username = first(q["username"])
	f.Destination = first(q["destination"])
	if d := f.Destination; len(d) > 1 && d[0] == ' ' && strings.Trim(d[1:], "0123456789") == "" {
		f.Destination = "+" + d[1:]
	}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > MaxOutboxLimit {
			return f, "Parameter limit must be an integer from 1 to " + strconv.Itoa(MaxOutboxLimit) + "."
		}
		f.Limit = n
	}
	return f, ""
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
