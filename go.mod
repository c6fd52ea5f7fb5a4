module github.com/cogito-dev/cogito

go 1.26.8
