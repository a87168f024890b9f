<%@ page contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %>
<%-- the health path the bake and the load balancer check; a build with -Dapp.health=broken answers 500 --%>
<% if (!"ok".equals("${app.health}")) response.setStatus(500); %>
${app.health}
