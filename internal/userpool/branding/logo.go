package branding

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/cogito-dev/cogito/internal/storage"
)

// LogoPattern is the route of LogoHandler.
const LogoPattern = "GET /_cogito/ui/{poolID}/{clientID}/logo"

// LogoHandler serves the logo of a pool's (ALL) or an app client's own UI
// customization at LogoPattern, the ImageUrl GetUICustomization shows.
func LogoHandler(store storage.ResourceStore, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		poolID, clientID := r.PathValue("poolID"), r.PathValue("clientID")
		rec, doc, err := loadUI(r.Context(), store, poolID, clientID)
		if errors.Is(err, storage.ErrNotFound) || err == nil && len(doc.Image) == 0 {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			log.ErrorContext(r.Context(), "serving a UI customization logo", "pool", poolID, "err", err)
			http.Error(w, "Internal error.", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", doc.ImageType)
		h.Set("Content-Length", strconv.Itoa(len(doc.Image)))
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", `"`+strconv.FormatInt(rec.Version, 10)+`"`)
		if match := r.Header.Get("If-None-Match"); match != "" && match == h.Get("ETag") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(doc.Image)
	})
}
