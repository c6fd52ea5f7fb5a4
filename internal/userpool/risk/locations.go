package risk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// Locations places IP addresses on the map for the impossible-travel signal.
// The operator provides it as CSV: "cidr,latitude,longitude[,city[,country]]"
// per line (a header line starting with "cidr" and lines starting with # are
// skipped). The most specific matching range wins.
type Locations struct {
	ranges []located
}

type located struct {
	prefix        netip.Prefix
	lat, lon      float64
	city, country string
}

// Place is where an IP address is.
type Place struct {
	Lat, Lon      float64
	City, Country string
}

// LoadLocations reads an IP location table.
func LoadLocations(path string) (*Locations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("risk: opening the IP location table: %w", err)
	}
	defer f.Close()
	l, err := ReadLocations(f)
	if err != nil {
		return nil, fmt.Errorf("risk: %s: %w", path, err)
	}
	return l, nil
}

// ReadLocations reads an IP location table from r.
func ReadLocations(r io.Reader) (*Locations, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	l := &Locations{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) == 0 || strings.EqualFold(strings.TrimSpace(rec[0]), "cidr") {
			continue
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("line %q: want cidr,latitude,longitude", strings.Join(rec, ","))
		}
		p, err := netip.ParsePrefix(strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, fmt.Errorf("bad range %q", rec[0])
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
			return nil, fmt.Errorf("bad coordinates for %s", rec[0])
		}
		loc := located{prefix: p.Masked(), lat: lat, lon: lon}
		if len(rec) > 3 {
			loc.city = strings.TrimSpace(rec[3])
		}
		if len(rec) > 4 {
			loc.country = strings.TrimSpace(rec[4])
		}
		l.ranges = append(l.ranges, loc)
	}
	return l, nil
}

// Find returns where ip is, or false when no range holds it.
func (l *Locations) Find(ip string) (Place, bool) {
	if l == nil {
		return Place{}, false
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return Place{}, false
	}
	addr = addr.Unmap()
	best := -1
	for i, r := range l.ranges {
		if r.prefix.Contains(addr) && (best < 0 || r.prefix.Bits() > l.ranges[best].prefix.Bits()) {
			best = i
		}
	}
	if best < 0 {
		return Place{}, false
	}
	r := l.ranges[best]
	return Place{Lat: r.lat, Lon: r.lon, City: r.city, Country: r.country}, true
}

// distanceKm is the great-circle distance between two places.
func distanceKm(a, b Place) float64 {
	const earthRadiusKm = 6371
	rad := func(d float64) float64 { return d * math.Pi / 180 }
	dLat, dLon := rad(b.Lat-a.Lat), rad(b.Lon-a.Lon)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(rad(a.Lat))*math.Cos(rad(b.Lat))*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
