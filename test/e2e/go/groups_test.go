package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	idp "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func testGroups(t *testing.T, c *cogito) {
	needs(t, "CreateGroup", "GetGroup", "UpdateGroup", "ListGroups", "DeleteGroup",
		"AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminListGroupsForUser", "ListUsersInGroup")
	pool := createPool(t, c, "groups", nil)
	id := aws.ToString(pool.Id)
	for _, u := range []string{"pat", "quinn", "ruth"} {
		adminCreate(t, c, id, u)
	}

	role := "arn:aws:iam::123456789012:role/admins"
	out, err := c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &id, GroupName: aws.String("admins"),
		Description: aws.String("Administrators"), Precedence: aws.Int32(1), RoleArn: &role})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	g := out.Group
	if aws.ToString(g.GroupName) != "admins" || aws.ToString(g.UserPoolId) != id || aws.ToString(g.Description) != "Administrators" ||
		aws.ToInt32(g.Precedence) != 1 || aws.ToString(g.RoleArn) != role || !near(g.CreationDate, 5*time.Minute) || !near(g.LastModifiedDate, 5*time.Minute) {
		t.Errorf("CreateGroup Group = %s", asJSON(t, g))
	}
	for _, name := range []string{"readers", "writers"} {
		if _, err := c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &id, GroupName: aws.String(name)}); err != nil {
			t.Fatalf("CreateGroup %s: %v", name, err)
		}
	}
	_, err = c.IDP.CreateGroup(ctx(t), &idp.CreateGroupInput{UserPoolId: &id, GroupName: aws.String("admins")})
	wantClientError(t, err, "GroupExistsException")

	got, err := c.IDP.GetGroup(ctx(t), &idp.GetGroupInput{UserPoolId: &id, GroupName: aws.String("admins")})
	if err != nil || asJSON(t, got.Group) != asJSON(t, g) {
		t.Errorf("GetGroup = %v %s, want %s", err, asJSON(t, got), asJSON(t, g))
	}
	if _, err := c.IDP.UpdateGroup(ctx(t), &idp.UpdateGroupInput{UserPoolId: &id, GroupName: aws.String("admins"),
		Description: aws.String("Admins"), Precedence: aws.Int32(2)}); err != nil {
		t.Fatalf("UpdateGroup: %v", err)
	}
	got, err = c.IDP.GetGroup(ctx(t), &idp.GetGroupInput{UserPoolId: &id, GroupName: aws.String("admins")})
	if err != nil || aws.ToString(got.Group.Description) != "Admins" || aws.ToInt32(got.Group.Precedence) != 2 {
		t.Errorf("GetGroup after UpdateGroup = %v %s", err, asJSON(t, got))
	}

	var groups []string
	lg := idp.NewListGroupsPaginator(c.IDP, &idp.ListGroupsInput{UserPoolId: &id, Limit: aws.Int32(2)})
	for lg.HasMorePages() {
		page, err := lg.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListGroups: %v", err)
		}
		if len(page.Groups) > 2 {
			t.Errorf("ListGroups: %d groups on a page of 2", len(page.Groups))
		}
		for _, g := range page.Groups {
			groups = append(groups, aws.ToString(g.GroupName))
		}
	}
	if !sameSet(groups, []string{"admins", "readers", "writers"}) {
		t.Errorf("ListGroups = %v", groups)
	}

	add := func(user, group string) error {
		_, err := c.IDP.AdminAddUserToGroup(ctx(t), &idp.AdminAddUserToGroupInput{UserPoolId: &id, Username: &user, GroupName: &group})
		return err
	}
	for _, m := range [][2]string{{"pat", "admins"}, {"quinn", "admins"}, {"pat", "readers"}, {"pat", "admins"}} {
		if err := add(m[0], m[1]); err != nil {
			t.Fatalf("AdminAddUserToGroup(%s, %s): %v", m[0], m[1], err)
		}
	}
	wantGroupsOf(t, c, id, "pat", "admins", "readers")
	wantGroupsOf(t, c, id, "ruth")
	wantMembers(t, c, id, "admins", "pat", "quinn")
	wantMembers(t, c, id, "writers")

	wantClientError(t, add("nobody", "admins"), "UserNotFoundException", "User does not exist.")
	wantClientError(t, add("pat", "nogroup"), "ResourceNotFoundException", "Group not found.")
	_, err = c.IDP.GetGroup(ctx(t), &idp.GetGroupInput{UserPoolId: &id, GroupName: aws.String("nogroup")})
	wantClientError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.IDP.AdminListGroupsForUser(ctx(t), &idp.AdminListGroupsForUserInput{UserPoolId: &id, Username: aws.String("nobody")})
	wantClientError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.IDP.ListUsersInGroup(ctx(t), &idp.ListUsersInGroupInput{UserPoolId: &id, GroupName: aws.String("nogroup")})
	wantClientError(t, err, "ResourceNotFoundException", "Group not found.")

	if _, err := c.IDP.AdminRemoveUserFromGroup(ctx(t), &idp.AdminRemoveUserFromGroupInput{UserPoolId: &id,
		Username: aws.String("quinn"), GroupName: aws.String("admins")}); err != nil {
		t.Fatalf("AdminRemoveUserFromGroup: %v", err)
	}
	wantMembers(t, c, id, "admins", "pat")

	// A deleted user leaves its groups; a deleted group leaves its members.
	if _, err := c.IDP.AdminDeleteUser(ctx(t), &idp.AdminDeleteUserInput{UserPoolId: &id, Username: aws.String("pat")}); err != nil {
		t.Fatalf("AdminDeleteUser: %v", err)
	}
	wantMembers(t, c, id, "admins")
	wantMembers(t, c, id, "readers")
	if err := add("ruth", "readers"); err != nil {
		t.Fatalf("AdminAddUserToGroup: %v", err)
	}
	if _, err := c.IDP.DeleteGroup(ctx(t), &idp.DeleteGroupInput{UserPoolId: &id, GroupName: aws.String("readers")}); err != nil {
		t.Fatalf("DeleteGroup: %v", err)
	}
	wantGroupsOf(t, c, id, "ruth")
	_, err = c.IDP.GetGroup(ctx(t), &idp.GetGroupInput{UserPoolId: &id, GroupName: aws.String("readers")})
	wantClientError(t, err, "ResourceNotFoundException")
	_, err = c.IDP.DeleteGroup(ctx(t), &idp.DeleteGroupInput{UserPoolId: &id, GroupName: aws.String("readers")})
	wantClientError(t, err, "ResourceNotFoundException")
}

// wantGroupsOf checks AdminListGroupsForUser, paging one group at a time.
func wantGroupsOf(t *testing.T, c *cogito, poolID, user string, want ...string) {
	t.Helper()
	var got []string
	p := idp.NewAdminListGroupsForUserPaginator(c.IDP, &idp.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: &user, Limit: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("AdminListGroupsForUser(%s): %v", user, err)
		}
		for _, g := range page.Groups {
			got = append(got, aws.ToString(g.GroupName))
		}
	}
	if !sameSet(got, want) {
		t.Errorf("groups of %s = %v, want %v", user, got, want)
	}
}

// wantMembers checks ListUsersInGroup, paging one user at a time.
func wantMembers(t *testing.T, c *cogito, poolID, group string, want ...string) {
	t.Helper()
	var got []string
	var users []types.UserType
	p := idp.NewListUsersInGroupPaginator(c.IDP, &idp.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: &group, Limit: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListUsersInGroup(%s): %v", group, err)
		}
		users = append(users, page.Users...)
	}
	for _, u := range users {
		got = append(got, aws.ToString(u.Username))
		if u.UserStatus == "" || !slices.ContainsFunc(u.Attributes, func(a types.AttributeType) bool { return aws.ToString(a.Name) == "sub" }) {
			t.Errorf("member %s of %s lacks a status or sub: %s", aws.ToString(u.Username), group, asJSON(t, u))
		}
	}
	if !sameSet(got, want) {
		t.Errorf("members of %s = %v, want %v", group, got, want)
	}
}
