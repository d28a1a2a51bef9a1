/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cleanup.h"
#include "vf-netlink.h"

struct VfNetlink {
        struct mnl_socket *sock;   /* NULL when recording */
        const char *record;        /* DPDK_BOOT_VF_NETLINK_RECORD */
        const char *refuse;        /* DPDK_BOOT_VF_NETLINK_REFUSE */
        unsigned seq;
};

static const char *const vf_attr_names[_VF_ATTR_MAX] = {
        [VF_ATTR_MAC] = "IFLA_VF_MAC",
        [VF_ATTR_VLAN] = "IFLA_VF_VLAN",
        [VF_ATTR_TRUST] = "IFLA_VF_TRUST",
        [VF_ATTR_SPOOF_CHECK] = "IFLA_VF_SPOOFCHK",
        [VF_ATTR_LINK_STATE] = "IFLA_VF_LINK_STATE",
};

const char *vf_attr_name(VfAttr a) {
        return a < _VF_ATTR_MAX ? vf_attr_names[a] : NULL;
}

bool vf_attr_set(const VfSettings *s, VfAttr a) {
        switch (a) {
        case VF_ATTR_MAC:
                return s->mac_set;
        case VF_ATTR_VLAN:
                return s->vlan_set;
        case VF_ATTR_TRUST:
                return s->trust_set;
        case VF_ATTR_SPOOF_CHECK:
                return s->spoof_check_set;
        case VF_ATTR_LINK_STATE:
                return s->link_state_set;
        default:
                return false;
        }
}

static int socket_open(struct mnl_socket **ret) {
        struct mnl_socket *sock = mnl_socket_open(NETLINK_ROUTE);
        int r;

        if (!sock)
                return -errno;
        if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
                r = -errno;
                (void) mnl_socket_close(sock);
                return r;
        }
        *ret = sock;
        return 0;
}

int vf_netlink_open(VfNetlink **ret) {
        const char *record = secure_getenv("DPDK_BOOT_VF_NETLINK_RECORD");
        struct mnl_socket *sock = NULL;
        VfNetlink *nl;
        int r;

        if (!record) {
                r = socket_open(&sock);
                if (r < 0)
                        return r;
        }
        nl = calloc(1, sizeof(VfNetlink));
        if (!nl) {
                if (sock)
                        (void) mnl_socket_close(sock);
                return -ENOMEM;
        }
        *nl = (VfNetlink) { .sock = sock, .record = record,
                            .refuse = secure_getenv("DPDK_BOOT_VF_NETLINK_REFUSE") };
        *ret = nl;
        return 0;
}

void vf_netlink_close(VfNetlink *nl) {
        if (!nl)
                return;
        if (nl->sock)
                (void) mnl_socket_close(nl->sock);
        free(nl);
}

/* The one IFLA_VF_* attribute of setting a, for virtual function vf. */
static void put_vf_attr(struct nlmsghdr *nlh, unsigned vf, VfAttr a, const VfSettings *s) {
        switch (a) {
        case VF_ATTR_MAC: {
                struct ifla_vf_mac m = { .vf = vf };

                memcpy(m.mac, s->mac, sizeof(s->mac));
                mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
                break;
        }
        case VF_ATTR_VLAN: {
                struct ifla_vf_vlan v = { .vf = vf, .vlan = s->vlan, .qos = s->qos_set ? s->qos : 0 };

                mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(v), &v);
                break;
        }
        case VF_ATTR_TRUST: {
                struct ifla_vf_trust t = { .vf = vf, .setting = s->trust };

                mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(t), &t);
                break;
        }
        case VF_ATTR_SPOOF_CHECK: {
                struct ifla_vf_spoofchk c = { .vf = vf, .setting = s->spoof_check };

                mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(c), &c);
                break;
        }
        default: {
                /* VfLinkState has the kernel's IFLA_VF_LINK_STATE_* numbers */
                struct ifla_vf_link_state l = { .vf = vf, .link_state = (uint32_t) s->link_state };

                mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(l), &l);
                break;
        }
        }
}

static struct nlmsghdr *build(char *buf, unsigned seq, int ifindex, unsigned vf, VfAttr a, const VfSettings *s) {
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifinfomsg *ifm;
        struct nlattr *list, *info;

        nlh->nlmsg_type = RTM_SETLINK;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        nlh->nlmsg_seq = seq;
        ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = ifindex;
        list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
        info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
        put_vf_attr(nlh, vf, a, s);
        mnl_attr_nest_end(nlh, info);
        mnl_attr_nest_end(nlh, list);
        return nlh;
}

/* What the message asks for, read back from its attributes (the recording of the tests). */
static void describe_vf_attr(FILE *f, const struct nlattr *attr) {
        const void *pl = mnl_attr_get_payload(attr);
        const struct ifla_vf_mac *m = pl;
        const struct ifla_vf_vlan *v = pl;
        const struct ifla_vf_trust *t = pl;
        const struct ifla_vf_spoofchk *c = pl;
        const struct ifla_vf_link_state *l = pl;

        switch (mnl_attr_get_type(attr)) {
        case IFLA_VF_MAC:
                fprintf(f, " IFLA_VF_MAC vf %u mac %02x:%02x:%02x:%02x:%02x:%02x", m->vf, m->mac[0], m->mac[1],
                        m->mac[2], m->mac[3], m->mac[4], m->mac[5]);
                break;
        case IFLA_VF_VLAN:
                fprintf(f, " IFLA_VF_VLAN vf %u vlan %u qos %u", v->vf, v->vlan, v->qos);
                break;
        case IFLA_VF_TRUST:
                fprintf(f, " IFLA_VF_TRUST vf %u setting %u", t->vf, t->setting);
                break;
        case IFLA_VF_SPOOFCHK:
                fprintf(f, " IFLA_VF_SPOOFCHK vf %u setting %u", c->vf, c->setting);
                break;
        case IFLA_VF_LINK_STATE:
                fprintf(f, " IFLA_VF_LINK_STATE vf %u link_state %u", l->vf, l->link_state);
                break;
        default:
                fprintf(f, " attribute %u", mnl_attr_get_type(attr));
        }
}

static int describe_vf_info(const struct nlattr *attr, void *data) {
        describe_vf_attr(data, attr);
        return MNL_CB_OK;
}

static int describe_vfinfo_list(const struct nlattr *info, void *data) {
        fprintf(data, " %s", mnl_attr_get_type(info) == IFLA_VF_INFO ? "IFLA_VF_INFO" : "attribute?");
        return mnl_attr_parse_nested(info, describe_vf_info, data);
}

static int describe_link(const struct nlattr *list, void *data) {
        fprintf(data, " %s", mnl_attr_get_type(list) == IFLA_VFINFO_LIST ? "IFLA_VFINFO_LIST" : "attribute?");
        return mnl_attr_parse_nested(list, describe_vfinfo_list, data);
}

static void describe(FILE *f, const struct nlmsghdr *nlh) {
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

        fprintf(f, "%s%s ifindex %d", nlh->nlmsg_type == RTM_SETLINK ? "RTM_SETLINK" : "type?",
                (nlh->nlmsg_flags & NLM_F_ACK) ? "" : " (no ack)", ifm->ifi_index);
        if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), describe_link, f) < 0)
                fprintf(f, " (malformed)");
        fputc('\n', f);
}

static int record(const VfNetlink *nl, const struct nlmsghdr *nlh, VfAttr a) {
        _cleanup_fclose_ FILE *f = fopen(nl->record, "ae");

        if (!f)
                return -errno;
        describe(f, nlh);
        if (fflush(f) != 0 || ferror(f))
                return -EIO;
        if (nl->refuse && strcmp(nl->refuse, vf_attr_names[a]) == 0)
                return -EOPNOTSUPP;
        return 0;
}

/* One request, one answer: the kernel's ACK, or the error it carries. */
static int talk(VfNetlink *nl, const struct nlmsghdr *nlh) {
        _Alignas(struct nlmsghdr) char buf[MNL_SOCKET_BUFFER_SIZE];
        ssize_t n;

        if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
                return -errno;
        n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
        if (n < 0)
                return -errno;
        if (mnl_cb_run(buf, (size_t) n, nlh->nlmsg_seq, mnl_socket_get_portid(nl->sock), NULL, NULL) < 0)
                return -errno;
        return 0;
}

int vf_netlink_set(VfNetlink *nl, int ifindex, unsigned vf, VfAttr a, const VfSettings *s) {
        _Alignas(struct nlmsghdr) char buf[256];
        struct nlmsghdr *nlh;

        assert(nl);
        assert(a < _VF_ATTR_MAX);
        nlh = build(buf, ++nl->seq, ifindex, vf, a, s);
        return nl->sock ? talk(nl, nlh) : record(nl, nlh, a);
}
